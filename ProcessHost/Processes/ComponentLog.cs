using System.Text;

namespace Warehouse.ProcessHost.Processes;

/// <summary>
/// One component's log: every line goes to <c>&lt;data&gt;/logs/&lt;component&gt;.log</c> and to the
/// platform's sink (the CLI prefixes it with the component name on the console).
/// </summary>
public sealed class ComponentLog : IDisposable
{
    private readonly object _gate = new();
    private readonly StreamWriter _writer;
    private readonly Action<string, string>? _sink;

    public ComponentLog(string component, string path, Action<string, string>? sink)
    {
        Component = component;
        Path = path;
        _sink = sink;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
    }

    public string Component { get; }

    public string Path { get; }

    public void Write(string line)
    {
        lock (_gate)
        {
            try
            {
                _writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }

        _sink?.Invoke(Component, line);
    }

    /// <summary>The last lines of the log file (for error messages).</summary>
    public string Tail(int lines = 20)
    {
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var queue = new Queue<string>();
            while (reader.ReadLine() is { } line)
            {
                queue.Enqueue(line);
                if (queue.Count > lines)
                {
                    queue.Dequeue();
                }
            }

            return string.Join(Environment.NewLine, queue);
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }
}
