using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace ChatonsFed.Deploy.Tests;

/// <summary>
/// The shipped site file (deploy/nginx/chatonsfed.conf) rendered for 127.0.0.1 with a certificate made for the test,
/// served by a real nginx run in the foreground with its own prefix, pid file and temporary folders in a temporary
/// folder. Disposing it stops nginx and its workers; so does the test host's exit.
/// </summary>
internal sealed partial class TestNginx : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;
    private bool _exitedOnDispose;

    private TestNginx(Process process, string folder, int httpsPort, X509Certificate2 certificate)
    {
        _process = process;
        Folder = folder;
        HttpsPort = httpsPort;
        Certificate = certificate;
    }

    public string Folder { get; }

    public int HttpsPort { get; }

    /// <summary>https://127.0.0.1:PORT, the public URL of the node behind it.</summary>
    public string PublicUrl => $"https://127.0.0.1:{HttpsPort}";

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate in PEM, for clients that must trust it (NODE_EXTRA_CA_CERTS).</summary>
    public string CertificateFile => Path.Combine(Folder, "tls", "fullchain.pem");

    public string AccessLog => File.Exists(Path.Combine(Folder, "access.log")) ? File.ReadAllText(Path.Combine(Folder, "access.log")) : string.Empty;

    public string ErrorLog => File.Exists(Path.Combine(Folder, "error.log")) ? File.ReadAllText(Path.Combine(Folder, "error.log")) : string.Empty;

    /// <summary>Whether nginx has ended (after <see cref="DisposeAsync"/>: whether it ended then).</summary>
    public bool HasExited => _disposed ? _exitedOnDispose : _process.HasExited;

    /// <summary>A new temporary folder holding a self-signed certificate for 127.0.0.1 (fullchain.pem and privkey.pem under tls/).</summary>
    public static async Task<string> PrepareFolderAsync()
    {
        var openssl = DeployTools.Require("openssl", "openssl");
        var folder = Path.Combine(Path.GetTempPath(), "chatonsfed-nginx-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(folder, "tls"));
        System.IO.Directory.CreateDirectory(Path.Combine(folder, "acme"));
        var made = await DeployTools.RunAsync(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", Path.Combine(folder, "tls", "privkey.pem"), "-out", Path.Combine(folder, "tls", "fullchain.pem")]);
        Assert.True(made.ExitCode == 0, $"openssl could not make the test certificate: {made}");
        return folder;
    }

    /// <summary>
    /// The shipped site with its paths moved into <paramref name="folder"/> (certificate, cache, challenge root) and,
    /// when <paramref name="ports"/> is given, listening on 127.0.0.1 at those ports and proxying to the node's port.
    /// </summary>
    public static string RenderSite(string folder, (int Http, int Https, int Node)? ports = null)
    {
        var site = File.ReadAllText(DeployTools.DeployFile("nginx", "chatonsfed.conf"));
        site = Replace(site, "/etc/letsencrypt/live/chaton.example/", Path.Combine(folder, "tls") + "/");
        site = Replace(site, "/var/cache/nginx/chatonsfed", Path.Combine(folder, "cache"));
        site = Replace(site, "/var/www/letsencrypt", Path.Combine(folder, "acme"));
        if (ports is { } p)
        {
            site = Replace(site, "server_name chaton.example;", "server_name 127.0.0.1;");
            site = Replace(site, "listen 80;", $"listen 127.0.0.1:{p.Http};");
            site = Replace(site, "listen 443 ssl http2;", $"listen 127.0.0.1:{p.Https} ssl http2;");
            site = Replace(site, "server 127.0.0.1:8080;", $"server 127.0.0.1:{p.Node};");
            site = Ipv6Listen().Replace(site, string.Empty);
        }

        return site;
    }

    /// <summary>nginx.conf for a run in <paramref name="folder"/>: its own pid file, logs and temporary folders, including site.conf.</summary>
    public static string MainConfiguration(string folder) => $$"""
        daemon off;
        worker_processes 1;
        pid {{folder}}/nginx.pid;
        error_log {{folder}}/error.log info;
        events {
            worker_connections 128;
        }
        http {
            access_log {{folder}}/access.log;
            client_body_temp_path {{folder}}/client_body;
            proxy_temp_path {{folder}}/proxy;
            fastcgi_temp_path {{folder}}/fastcgi;
            uwsgi_temp_path {{folder}}/uwsgi;
            scgi_temp_path {{folder}}/scgi;
            include {{folder}}/site.conf;
        }
        """;

    /// <summary>Writes site.conf and nginx.conf into <paramref name="folder"/>; returns nginx's arguments for them.</summary>
    public static string[] WriteConfiguration(string folder, string site)
    {
        File.WriteAllText(Path.Combine(folder, "site.conf"), site);
        File.WriteAllText(Path.Combine(folder, "nginx.conf"), MainConfiguration(folder));
        return ["-p", folder + "/", "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log")];
    }

    /// <summary>Starts nginx in the foreground in <paramref name="folder"/> (see <see cref="PrepareFolderAsync"/>), proxying to the node's port.</summary>
    /// <remarks><paramref name="alter"/> changes the rendered site (to show what a line of it is for).</remarks>
    public static async Task<TestNginx> StartAsync(string folder, int httpsPort, int nodePort, Func<string, string>? alter = null)
    {
        var nginx = DeployTools.Require("nginx", "nginx");
        var site = RenderSite(folder, (TestHost.FreePort(), httpsPort, nodePort));
        var arguments = WriteConfiguration(folder, alter is null ? site : alter(site));
        var start = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(folder, "tls", "fullchain.pem")));
        var process = Process.Start(start)!;
        ChildProcesses.Track(process);
        var running = new TestNginx(process, folder, httpsPort, certificate);
        var clock = Stopwatch.StartNew();
        while (!await AcceptsAsync(httpsPort))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                var log = running.ErrorLog + (process.HasExited ? await process.StandardError.ReadToEndAsync() : string.Empty);
                await running.DisposeAsync();
                Assert.Fail($"nginx did not start serving the rendered site on 127.0.0.1:{httpsPort}: {log}");
            }

            await Task.Delay(50);
        }

        return running;
    }

    /// <summary>An HTTP client that trusts this nginx's certificate only.</summary>
    public HttpClient Client()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == Certificate.Thumbprint,
        };
        return new HttpClient(handler) { BaseAddress = new Uri(PublicUrl) };
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        if (!_process.HasExited)
        {
            // Fast shutdown of the master and its workers; then, whatever is left, killed.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
            {
                await term.WaitForExitAsync();
            }

            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                ChildProcesses.Kill(_process);
            }
        }

        _exitedOnDispose = _process.HasExited;
        _disposed = true;
        ChildProcesses.Forget(_process);
        _process.Dispose();
        Certificate.Dispose();
        try
        {
            System.IO.Directory.Delete(Folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left to the system's temporary folder cleaning.
        }
    }

    private static string Replace(string text, string what, string with)
    {
        Assert.True(text.Contains(what, StringComparison.Ordinal), $"deploy/nginx/chatonsfed.conf no longer contains '{what}'; the test renders the site by replacing it");
        return text.Replace(what, with, StringComparison.Ordinal);
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^[ \t]*listen \[::\]:[^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex Ipv6Listen();
}
