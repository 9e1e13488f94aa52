using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Warehouse.Testing;
using Warehouse.Contracts.Security;

namespace Warehouse.ApiGateway.Tests;

/// <summary>
/// The gateway in-process with small limits, its downstream services pointed at a reserved port where nothing listens:
/// what happens before proxying (auth, limits) is tested here; proxying to live services is in EndToEnd.Tests.
/// </summary>
public sealed class GatewayFixture : IDisposable
{
    public const string AllowedOrigin = "https://ops.example.test";

    private readonly ScopedEnvironment _environment;
    private readonly ReservedPort _deadService = FreePorts.Reserve();
    private WebApplicationFactory<Program>? _unlimited;

    public GatewayFixture()
    {
        var deadService = $"http://127.0.0.1:{_deadService.Port}";
        _environment = new ScopedEnvironment(new Dictionary<string, string>
        {
            ["Jwt__SigningKey"] = Jwt.SigningKey!,
            ["services__taskservice__http__0"] = deadService,
            ["services__importservice__http__0"] = deadService,
            ["services__realtimeworker__http__0"] = deadService,
            ["RateLimiting__PermitsPerSecond"] = "2",
            ["RateLimiting__Burst"] = "5",
            ["Gateway__MaxRequestBodyBytes"] = "1024",
            ["Cors__AllowedOrigins__0"] = AllowedOrigin,
        });
        Factory = new WebApplicationFactory<Program>();
    }

    public JwtOptions Jwt { get; } = new() { SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };

    public WebApplicationFactory<Program> Factory { get; }

    /// <summary>
    /// The same gateway without a practical rate limit, for batteries of anonymous requests: a refused token leaves
    /// the caller anonymous, and all anonymous test requests share one client-address bucket.
    /// </summary>
    public WebApplicationFactory<Program> Unlimited => _unlimited ??= Factory.WithWebHostBuilder(host => host
        .UseSetting("RateLimiting:PermitsPerSecond", "100000")
        .UseSetting("RateLimiting:Burst", "100000"));

    public HttpClient Client(string role, string? subject = null) =>
        Factory.CreateClient().WithToken(TokenIssuer.Create(Jwt, subject ?? Guid.NewGuid().ToString("N"), role));

    public void Dispose()
    {
        try
        {
            _unlimited?.Dispose();
            Factory.Dispose();
        }
        finally
        {
            _environment.Dispose();
            _deadService.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
