namespace ChatonsFed.Hosting.Configuration;

/// <summary>The owner's admin API: section <c>ChatonsFed:Admin</c> of the settings.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>
    /// Whether the admin API answers requests that came through a reverse proxy (any forwarding header, or a connection
    /// from a proxy listed in <see cref="NodeOptions.KnownProxies"/> other than a loopback address). Off by default:
    /// the admin API is for the machine itself, where the command line reaches the node directly.
    /// </summary>
    public bool AllowProxied { get; set; }
}
