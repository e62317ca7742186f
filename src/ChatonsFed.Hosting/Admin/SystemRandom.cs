using System.Security.Cryptography;

namespace ChatonsFed.Hosting.Admin;

/// <summary>
/// Cryptographically secure random bytes. On Linux they are read from the kernel's generator
/// (<c>/dev/urandom</c>, the source OpenSSL itself draws from) so that making the run's admin token at start does
/// not load the crypto library; elsewhere, or if that device cannot be read, <see cref="RandomNumberGenerator"/>.
/// </summary>
internal static class SystemRandom
{
    public static byte[] GetBytes(int count)
    {
        var bytes = new byte[count];
        if (OperatingSystem.IsLinux())
        {
            try
            {
                using var device = new FileStream("/dev/urandom", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
                device.ReadExactly(bytes);
                return bytes;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A sandbox without /dev: fall back below.
            }
        }

        RandomNumberGenerator.Fill(bytes);
        return bytes;
    }
}
