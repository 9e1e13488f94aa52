using Microsoft.AspNetCore.Http.Features;
using Npgsql;
using NpgsqlTypes;
using Warehouse.Data;

namespace Warehouse.ImportService.Infrastructure;

/// <summary>
/// Uploaded files in Postgres (<c>import_uploads</c>), where every copy of the service can read them: streamed in
/// 1 MiB chunks on the way in and out, never whole in memory. A file is deleted when its job ends (a trigger does it).
/// </summary>
public sealed class ImportUploads(NpgsqlDataSource dataSource)
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Copies the request body into <paramref name="connection"/>'s open transaction; the bytes written, or null when the
    /// body exceeded <paramref name="limit"/> (the caller rolls back, so nothing is left).
    /// </summary>
    public static async Task<long?> WriteAsync(NpgsqlConnection connection, Guid jobId, HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await using var writer = await connection.BeginBinaryImportAsync("COPY import_uploads (job_id, seq, data) FROM STDIN (FORMAT BINARY)", ct);
        var buffer = new byte[ChunkBytes];
        long total = 0;
        try
        {
            for (var seq = 0; ; seq++)
            {
                var read = await request.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
                total += read;
                if (total > limit)
                {
                    return null;
                }

                if (read == 0)
                {
                    break;
                }

                await writer.StartRowAsync(ct);
                await writer.WriteAsync(jobId, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(seq, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(new ReadOnlyMemory<byte>(buffer, 0, read), NpgsqlDbType.Bytea, ct);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel refuses a body past MaxRequestBodySize itself (at once when Content-Length says so).
            return null;
        }

        await writer.CompleteAsync(ct);
        return total;
    }

    /// <summary>
    /// The file of <paramref name="sizeBytes"/> bytes as a forward-only stream that fetches one chunk at a time (no
    /// connection is held between reads). A chunk missing before the end means the job ended meanwhile (a cancel
    /// deletes the file): that is an error, never a shorter file.
    /// </summary>
    public Stream Open(Guid jobId, long sizeBytes) => new UploadStream(dataSource, jobId, sizeBytes);

    /// <summary>Read synchronously: the CSV reader is a <see cref="TextReader"/>.</summary>
    private sealed class UploadStream(NpgsqlDataSource dataSource, Guid jobId, long sizeBytes) : Stream
    {
        private byte[] _chunk = [];
        private int _position;
        private int _nextSeq;
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => sizeBytes;

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position == _chunk.Length)
            {
                if (_read == sizeBytes)
                {
                    return 0;
                }

                using var command = dataSource.CreateCommand("SELECT data FROM import_uploads WHERE job_id = $1 AND seq = $2").WithParameters(jobId, _nextSeq);
                _chunk = command.ExecuteScalar() as byte[] ?? throw new IOException($"Chunk {_nextSeq} of import {jobId}'s file is gone: the job ended while it ran.");
                _nextSeq++;
                _position = 0;
            }

            var count = Math.Min(buffer.Length, _chunk.Length - _position);
            _chunk.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            _read += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
