using System.Runtime.InteropServices;

namespace Warehouse.ProcessHost.Secrets;

/// <summary>
/// bcrypt hashes for Prometheus/Alertmanager <c>--web.config.file</c> basic_auth_users.
/// The one seam for bcrypt: BCrypt.Net-Next does not restore from our NuGet mirror, so this calls
/// libxcrypt (<c>libcrypt.so.1</c>, part of every Debian base system) through P/Invoke:
/// <c>crypt_gensalt("$2b$", cost, NULL, 0)</c> takes its salt from the OS random source.
/// Swap in a managed implementation here if one becomes available.
/// </summary>
public static partial class BcryptHasher
{
    private const string Library = "libcrypt.so.1";
    private static readonly Lock Gate = new();

    [LibraryImport(Library, EntryPoint = "crypt_gensalt", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr CryptGenSalt(string prefix, ulong count, IntPtr randomBytes, int randomByteCount);

    [LibraryImport(Library, EntryPoint = "crypt", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr Crypt(string phrase, string setting);

    public static string Hash(string password, int cost = 10)
    {
        lock (Gate)
        {
            var salt = Marshal.PtrToStringUTF8(CryptGenSalt("$2b$", (ulong)cost, IntPtr.Zero, 0));
            if (salt is null || !salt.StartsWith("$2b$", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("libcrypt could not generate a bcrypt salt");
            }

            return CryptOrThrow(password, salt);
        }
    }

    public static bool Verify(string password, string hash)
    {
        lock (Gate)
        {
            return CryptOrThrow(password, hash) == hash;
        }
    }

    private static string CryptOrThrow(string password, string setting)
    {
        var result = Marshal.PtrToStringUTF8(Crypt(password, setting));
        if (result is null || result.StartsWith('*'))
        {
            throw new InvalidOperationException("libcrypt failed to compute a bcrypt hash");
        }

        return result;
    }
}
