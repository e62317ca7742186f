using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Observatory;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// The observatory as the aggregator composes it (<see cref="ObservatoryServices.AddObservatory"/>: its own client and
/// handler, the address policy, the certificate check), over real stores in a temporary folder, checking real
/// loopback servers. The settings may shorten the exchange's time limit and name private root certificates.
/// </summary>
internal sealed class ObservatoryFixture : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ServiceProvider _services;
    private readonly DataStore _tables;

    public ObservatoryFixture(bool allowPrivateNetwork = true, TimeSpan? timeout = null, IEnumerable<string>? privateRoots = null, IEnumerable<string>? allowedNetworks = null, TimeProvider? time = null)
    {
        var options = new NodeOptions { PublicUrl = "https://annuaire.example", AllowPrivateNetwork = allowPrivateNetwork };
        foreach (var network in allowedNetworks ?? [])
        {
            options.AllowedNetworks.Add(network);
        }

        foreach (var root in privateRoots ?? [])
        {
            options.Aggregator.Observatory.PrivateRootCertificates.Add(root);
        }

        _tables = DataStore.Create(_folder.File("chatonsfed.db"));
        var made = ObservatorySettings.From(options);
        var settings = new ObservatorySettings
        {
            Policy = made.Policy,
            UserAgent = made.UserAgent,
            Interval = made.Interval,
            PrivateRootCertificates = made.PrivateRootCertificates,
            Timeout = timeout ?? ObservatorySettings.DefaultTimeout,
        };
        _services = TestObservatory.Compose(options, _folder.Path, _tables, time ?? TimeProvider.System, settings, Log);
    }

    public CapturedLog Log { get; } = new();

    public ServiceObservatory Observatory => _services.GetRequiredService<ServiceObservatory>();

    public ObservatoryBook Book => _services.GetRequiredService<ObservatoryBook>();

    public ObservationViews Views => _services.GetRequiredService<ObservationViews>();

    public DirectoryStore Directory => _services.GetRequiredService<DirectoryStore>();

    public string File(string name) => _folder.File(name);

    /// <summary>Checks the targets of a chaton with this website, legal notice and services (URL, status, registration, capacity).</summary>
    public async Task<IReadOnlyList<TargetOutcome>> CheckAsync(ChatonListing listing) =>
        await Observatory.RunAsync(ObservationTarget.Of([listing]), CancellationToken.None);

    /// <summary>Checks one URL as the service of a chaton whose website is <paramref name="website"/>.</summary>
    public async Task<TargetObservation> CheckOneAsync(string url, string? website = null)
    {
        var outcomes = await CheckAsync(Chaton(website, null, (url, "ok", "free", "open")));
        return outcomes.Single(o => o.Target.Url == ObservationTarget.KeyOf(url)).Observation!;
    }

    public static ChatonListing Chaton(string? website, string? legalNotice, params (string Url, string? Status, string? Registration, string? Capacity)[] services) => new()
    {
        ActorId = "https://chaton.example/actor",
        Name = "Chaton",
        Website = website,
        LegalNotice = legalNotice,
        Services = [.. services.Select((s, i) => new ServiceListing { Id = "s" + i, Name = "Service " + i, Url = s.Url, Status = s.Status, Registration = s.Registration, Capacity = s.Capacity })],
    };

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _tables.Dispose();
        _folder.Dispose();
    }
}

/// <summary>A Kestrel server on 127.0.0.1 over HTTPS with the certificate given, answering with a delegate.</summary>
internal sealed class HttpsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpsServer(WebApplication app, int port)
    {
        _app = app;
        Url = $"https://127.0.0.1:{port}/";
    }

    public string Url { get; }

    public static async Task<HttpsServer> StartAsync(X509Certificate2 certificate, RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new HttpsServer(app, bound.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Certificates made for a test: a private certificate authority, and leaves it issues or that sign themselves.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddYears(1));
    }

    /// <summary>A server certificate for <paramref name="dnsName"/> (or the address 127.0.0.1), issued by <paramref name="issuer"/> or self-signed, valid <paramref name="days"/> days.</summary>
    public static X509Certificate2 Leaf(string? dnsName, X509Certificate2? issuer, int days)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName ?? "127.0.0.1"}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (dnsName is null)
        {
            names.AddIpAddress(IPAddress.Loopback);
        }
        else
        {
            names.AddDnsName(dnsName);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var notBefore = TimeProvider.System.GetUtcNow().AddDays(-1);
        var notAfter = TimeProvider.System.GetUtcNow().AddDays(days);
        if (issuer is null)
        {
            using var self = request.CreateSelfSigned(notBefore, notAfter);
            return X509CertificateLoader.LoadPkcs12(self.Export(X509ContentType.Pfx), null);
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(issuer, notBefore, notAfter, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Writes <paramref name="certificate"/> as a PEM file.</summary>
    public static void WritePem(X509Certificate2 certificate, string path) =>
        System.IO.File.WriteAllText(path, certificate.ExportCertificatePem());
}
