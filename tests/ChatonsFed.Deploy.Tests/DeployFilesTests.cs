using System.Text.Json.Nodes;

namespace ChatonsFed.Deploy.Tests;

/// <summary>The shipped deployment files pass their tools' own checks: nginx -t, systemd-analyze verify, a YAML reader.</summary>
public sealed class DeployFilesTests
{
    [Fact]
    public async Task The_nginx_site_passes_nginx_t_with_only_its_paths_moved()
    {
        var nginx = DeployTools.Require("nginx", "nginx");
        var folder = await TestNginx.PrepareFolderAsync();
        try
        {
            var arguments = TestNginx.WriteConfiguration(folder, TestNginx.RenderSite(folder));

            var result = await DeployTools.RunAsync(nginx, ["-t", .. arguments]);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("test is successful", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_systemd_unit_passes_systemd_analyze_verify()
    {
        var analyze = DeployTools.Require("systemd-analyze", "systemd");
        var unit = await File.ReadAllTextAsync(DeployTools.DeployFile("systemd", "chatonsfed.service"));
        const string program = "/opt/chatonsfed/chatonsfed";
        Assert.Contains($"ExecStart={program} serve --data /var/lib/chatonsfed ", unit, StringComparison.Ordinal);
        var folder = System.IO.Directory.CreateTempSubdirectory("chatonsfed-unit-").FullName;
        try
        {
            // verify needs the program to exist: the rendered copy runs the chatonsfed this test was built with.
            var rendered = Path.Combine(folder, "chatonsfed.service");
            await File.WriteAllTextAsync(rendered, unit.Replace(program, Path.Combine(AppContext.BaseDirectory, "chatonsfed"), StringComparison.Ordinal));

            var result = await DeployTools.RunAsync(analyze, ["verify", rendered]);

            Assert.True(result.ExitCode == 0 && result.Error.Trim().Length == 0 && result.Output.Trim().Length == 0, result.ToString());
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_systemd_unit_runs_as_its_own_user_on_a_read_only_system_with_only_the_data_folder_writable()
    {
        var lines = File.ReadAllLines(DeployTools.DeployFile("systemd", "chatonsfed.service")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        string[] expected = ["User=chatonsfed", "ProtectSystem=strict", "PrivateTmp=yes", "ProtectHome=yes", "NoNewPrivileges=yes", "StateDirectory=chatonsfed", "ReadWritePaths=/var/lib/chatonsfed", "CapabilityBoundingSet="];
        Assert.All(expected, line => Assert.Contains(line, lines));
        Assert.Single(lines, l => l.StartsWith("ReadWritePaths=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_compose_file_is_YAML_whose_paths_exist_and_the_Containerfile_builds_the_command_line()
    {
        var python = DeployTools.Require("python3", "python3-yaml");
        var compose = DeployTools.DeployFile("compose.yaml");
        var read = await DeployTools.RunAsync(python, ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", compose]);
        Assert.True(read.ExitCode == 0, $"compose.yaml is not YAML python3 can read (package python3-yaml): {read}");

        var service = JsonNode.Parse(read.Output)!["services"]!["chatonsfed"]!;
        var deploy = Path.GetDirectoryName(compose)!;
        var context = Path.GetFullPath(Path.Combine(deploy, service["build"]!["context"]!.GetValue<string>()));
        Assert.Equal(DeployTools.RepositoryRoot, context.TrimEnd('/'));
        var containerfile = Path.Combine(context, service["build"]!["dockerfile"]!.GetValue<string>());
        Assert.True(File.Exists(containerfile), containerfile);
        Assert.Null(service["build"]!["additional_contexts"]); // the repository alone is the context
        Assert.Equal("chatonsfed-data:/data", service["volumes"]![0]!.GetValue<string>());

        var instructions = await File.ReadAllTextAsync(containerfile);
        Assert.DoesNotContain("--from=shared", instructions, StringComparison.Ordinal);
        Assert.DoesNotContain("npm", instructions, StringComparison.Ordinal);
        // What the build embeds is in the context and not left out by the ignore file.
        var ignored = (await File.ReadAllLinesAsync(Path.Combine(deploy, "Containerfile.dockerignore")))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var embedded in new[] { "src/ChatonsFed.Directory/Catalogs/service-categories.json", "src/ChatonsFed.Directory/Catalogs/charter-criteria.json",
                     "src/ChatonsFed.Cli/Demo/ChatonsInfos/federation.properties", "web/vendor/leaflet.js", "web/vendor/countries.geojson" })
        {
            Assert.True(File.Exists(Path.Combine(context, embedded)), $"{embedded} is not in the build context");
            Assert.DoesNotContain(ignored, pattern => embedded.Contains(pattern.Trim('*', '/'), StringComparison.Ordinal));
        }
        Assert.Contains("RUN dotnet publish src/ChatonsFed.Cli ", instructions, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(context, "src", "ChatonsFed.Cli", "ChatonsFed.Cli.csproj")));
        Assert.Contains("CMD [\"serve\", \"--data\", \"/data\"", instructions, StringComparison.Ordinal);
    }
}
