using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Monitoring.Tests.Infrastructure;

public static class Yaml
{
    private static readonly IDeserializer Typed = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    private static readonly IDeserializer Untyped = new DeserializerBuilder().Build();

    public static T Load<T>(string path) => Typed.Deserialize<T>(File.ReadAllText(path));

    /// <summary>Loads YAML as nested Dictionary&lt;object, object&gt; / List&lt;object&gt; / string.</summary>
    public static Dictionary<object, object> LoadMap(string path) =>
        Untyped.Deserialize<Dictionary<object, object>>(File.ReadAllText(path));

    public static Dictionary<object, object> Map(this object? node, string key) =>
        node is Dictionary<object, object> map && map.TryGetValue(key, out var value) && value is Dictionary<object, object> child
            ? child
            : throw new KeyNotFoundException($"mapping '{key}' not found");

    public static List<object> List(this object? node, string key) =>
        node is Dictionary<object, object> map && map.TryGetValue(key, out var value) && value is List<object> child
            ? child
            : throw new KeyNotFoundException($"list '{key}' not found");

    public static string? Str(this object? node, string key) =>
        node is Dictionary<object, object> map && map.TryGetValue(key, out var value) ? value?.ToString() : null;

    public static List<string> Strings(this object? node, string key) =>
        node is Dictionary<object, object> map && map.TryGetValue(key, out var value) && value is List<object> list
            ? list.Select(v => v.ToString()!).ToList()
            : [];
}
