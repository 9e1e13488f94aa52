using System.Diagnostics;
using Warehouse.Testing;

namespace Warehouse.Bench;

/// <summary>
/// nginx (Debian's 1.22) as a plain reverse proxy in front of one upstream, the anchor the gateway is measured
/// against: one worker per core, keep-alive to the upstream, no access log, the Authorization header passed on.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private readonly Process _master;
    private readonly TempDir _dir;

    private NginxProxy(Process master, TempDir dir, int port)
    {
        _master = master;
        _dir = dir;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    /// <summary>The master and its workers, for CPU accounting.</summary>
    public IEnumerable<int> ProcessIds => ProcessCpu.ChildrenOf(_master.Id).Append(_master.Id);

    public static Task<NginxProxy> StartAsync(string upstream) =>
        FreePorts.StartAsync(port => StartOnAsync(port, new Uri(upstream)), ex => ex.Message.Contains("Address already in use", StringComparison.OrdinalIgnoreCase));

    public async ValueTask DisposeAsync()
    {
        _master.Kill(entireProcessTree: true);
        await _master.WaitForExitAsync();
        _master.Dispose();
        _dir.Dispose();
    }

    private static async Task<NginxProxy> StartOnAsync(int port, Uri upstream)
    {
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx"
            : throw new InvalidOperationException("nginx is not installed: apt-get install nginx (Debian's 1.22 is the anchor).");
        var dir = new TempDir("bench-nginx");
        var user = Environment.UserName == "root" ? "user root;" : "";
        var config = dir.WriteFile("nginx.conf", $$"""
            {{user}}
            worker_processes auto;
            pid {{dir.Combine("nginx.pid")}};
            error_log {{dir.Combine("error.log")}} warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{dir.Combine("body")}};
                proxy_temp_path {{dir.Combine("proxy")}};
                upstream backend { server {{upstream.Authority}}; keepalive 64; }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://backend;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                }
            }
            """);
        var master = Process.Start(new ProcessStartInfo(nginx, ["-p", dir.Path, "-c", config, "-g", "daemon off;"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (master.HasExited)
            {
                var log = dir.Combine("error.log");
                var error = await master.StandardError.ReadToEndAsync() + (File.Exists(log) ? File.ReadAllText(log) : "");
                dir.Dispose();
                throw new InvalidOperationException($"nginx exited: {error}");
            }

            try
            {
                // Any answer means it listens (the upstream's /alive is anonymous).
                using var response = await probe.GetAsync($"http://127.0.0.1:{port}/alive");
                return new NginxProxy(master, dir, port);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        master.Kill(entireProcessTree: true);
        dir.Dispose();
        throw new TimeoutException("nginx did not listen within 5 s");
    }
}
