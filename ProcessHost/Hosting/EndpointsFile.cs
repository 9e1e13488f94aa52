using System.Text.Json;

namespace Warehouse.ProcessHost.Hosting;

/// <summary><c>&lt;data&gt;/endpoints.json</c>: <c>{"endpoints": {name: url}, "pids": {name: pid}}</c> for scripts and tools.</summary>
public sealed record EndpointsFile(IReadOnlyDictionary<string, string> Endpoints, IReadOnlyDictionary<string, int> Pids)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public void Write(string path)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(temp, path, overwrite: true);
    }

    public static EndpointsFile Read(string path) =>
        JsonSerializer.Deserialize<EndpointsFile>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} is empty");
}
