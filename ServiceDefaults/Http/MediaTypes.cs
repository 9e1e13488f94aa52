namespace Warehouse.ServiceDefaults.Http;

public static class MediaTypes
{
    /// <summary>What every 415 says: the media types the endpoint takes.</summary>
    public static string UnsupportedDetail(params string[] accepted) =>
        $"Send the body with Content-Type: {string.Join(" or ", accepted)}.";
}
