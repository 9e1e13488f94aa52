using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Warehouse.ImportService.Importing;

/// <summary>
/// Streams an upload to disk (never into memory) so the request can be answered with 202 at once and the
/// file imported in the background; the file is deleted when its job ends.
/// </summary>
public sealed class UploadSpool(IOptions<ImportOptions> options)
{
    public string PathFor(Guid jobId) => Path.Combine(options.Value.ResolvedSpoolDirectory, $"{jobId:N}.csv");

    /// <summary>Returns the bytes written, or null when the body exceeded the limit (the partial file is removed).</summary>
    public async Task<long?> SaveAsync(Guid jobId, HttpRequest request, CancellationToken ct)
    {
        var limit = options.Value.MaxFileBytes;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        Directory.CreateDirectory(options.Value.ResolvedSpoolDirectory);
        var path = PathFor(jobId);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            long total = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    throw new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge);
                }

                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }

            return total;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            Delete(jobId);
            return null;
        }
        catch
        {
            Delete(jobId);
            throw;
        }
    }

    public void Delete(Guid jobId) => File.Delete(PathFor(jobId));
}
