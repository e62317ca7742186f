using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>
/// The observatory handler's certificate check: it keeps, per host name, the leaf certificate's end of validity and
/// the reason a certificate was refused (a name mismatch, an expired or untrusted certificate), which the probe takes
/// after its request. Checks of one host never overlap (one request per host at a time, a new connection each), so
/// what is kept for a host is what its last handshake saw. Private root certificates, when the settings name some,
/// are trusted besides the system's.
/// </summary>
public sealed class CertificateCapture : IDisposable
{
    private readonly ConcurrentDictionary<string, SeenCertificate> _seen = new(StringComparer.OrdinalIgnoreCase);
    private readonly X509Certificate2Collection _privateRoots = [];
    private readonly TimeProvider _time;

    public CertificateCapture(ObservatorySettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        foreach (var file in settings.PrivateRootCertificates)
        {
            _privateRoots.ImportFromPemFile(file);
        }
    }

    /// <summary>What a handshake with a host showed: when its certificate ends, and why it was refused (null when accepted).</summary>
    public sealed record SeenCertificate(DateTimeOffset ValidUntil, string? Problem);

    /// <summary>Forgets what was seen of <paramref name="host"/>, before a request to it.</summary>
    public void Forget(string host) => _seen.TryRemove(host, out _);

    /// <summary>What the last handshake with <paramref name="host"/> showed, if there was one since <see cref="Forget"/>.</summary>
    public SeenCertificate? Take(string host) => _seen.TryRemove(host, out var seen) ? seen : null;

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/> of the observatory's handler.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var host = sender is SslStream stream ? stream.TargetHostName : string.Empty;
        if (certificate is null)
        {
            _seen[host] = new SeenCertificate(default, "tls: no certificate");
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var validUntil = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        var problem = Problem(leaf, chain, errors);
        _seen[host] = new SeenCertificate(validUntil, problem);
        return problem is null;
    }

    public void Dispose()
    {
        foreach (var root in _privateRoots)
        {
            root.Dispose();
        }
    }

    private string? Problem(X509Certificate2 leaf, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return "tls: name mismatch";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "tls: no certificate";
        }

        var now = _time.GetUtcNow();
        if (leaf.NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            return "tls: expired";
        }

        if (leaf.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            return "tls: not yet valid";
        }

        return _privateRoots.Count > 0 && ChainsToPrivateRoot(leaf, chain) ? null : "tls: untrusted";
    }

    private bool ChainsToPrivateRoot(X509Certificate2 leaf, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_privateRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf);
    }
}
