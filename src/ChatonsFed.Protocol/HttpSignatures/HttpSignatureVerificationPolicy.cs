using System.Globalization;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>What a verifier demands of an HTTP signature beyond the cryptography.</summary>
public sealed class HttpSignatureVerificationPolicy
{
    /// <summary>The federation rules, as Mastodon and Fedify apply them, with a one hour clock window.</summary>
    public static HttpSignatureVerificationPolicy Default { get; } = new();

    /// <summary>Only the signature, the clock window and covered digests: no rule about which components are covered.</summary>
    public static HttpSignatureVerificationPolicy SignatureOnly { get; } = new() { RequireFederationCoverage = false };

    /// <summary>How far <c>created</c> or <c>Date</c> may be from now, either way.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Demand what an inbox demands: the method and target are covered, a body's digest is covered, and a time is
    /// signed (see the rules on <see cref="MessageSignature"/> and <see cref="CavageSignature"/>).
    /// </summary>
    public bool RequireFederationCoverage { get; init; } = true;

    /// <summary>
    /// Fragments (without <c>#</c>) to try appending to <c>@target-uri</c> when a signature over the received URI
    /// fails. Fedify signs the URL it fetched, fragment included (<c>…/actor#main-key</c>), although the fragment never
    /// reaches the server; a node that knows its key ids can list their fragments here (e.g. <c>main-key</c>).
    /// </summary>
    public IReadOnlyList<string> TargetUriFragments { get; init; } = [];
}

/// <summary>Clock checks shared by both signature flavours, with reasons a person can read.</summary>
internal static class SignatureClock
{
    public static VerificationResult CheckCreated(long created, DateTimeOffset now, TimeSpan skew)
    {
        var difference = TimeSpan.FromSeconds(created - now.ToUnixTimeSeconds());
        if (difference > skew)
        {
            return VerificationResult.Invalid($"signature created {Describe(difference)} in the future");
        }

        if (-difference > skew)
        {
            return VerificationResult.Invalid($"signature created {Describe(-difference)} ago, outside the {Describe(skew)} window");
        }

        return VerificationResult.Valid;
    }

    public static VerificationResult CheckExpires(long expires, DateTimeOffset now)
    {
        var past = now.ToUnixTimeSeconds() - expires;
        return past > 0
            ? VerificationResult.Invalid($"signature expired {Describe(TimeSpan.FromSeconds(past))} ago")
            : VerificationResult.Valid;
    }

    public static VerificationResult CheckDate(string? dateHeader, DateTimeOffset now, TimeSpan skew)
    {
        if (dateHeader is null)
        {
            return VerificationResult.Invalid("Date header is missing");
        }

        if (!TryParseHttpDate(dateHeader, out var date))
        {
            return VerificationResult.Invalid($"Date header '{DigestHeader.Shorten(dateHeader)}' is not an HTTP date");
        }

        var difference = date - now;
        return difference.Duration() > skew
            ? VerificationResult.Invalid($"Date header is {Describe(difference.Duration())} off")
            : VerificationResult.Valid;
    }

    public static bool TryParseHttpDate(string value, out DateTimeOffset date) =>
        DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date);

    public static string FormatHttpDate(DateTimeOffset value) => value.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

    /// <summary>A duration in the largest whole unit that reads naturally: "2 hours", "15 minutes", "40 seconds".</summary>
    public static string Describe(TimeSpan duration)
    {
        static string Plural(long n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";

        if (duration >= TimeSpan.FromDays(2))
        {
            return Plural((long)duration.TotalDays, "day");
        }

        if (duration >= TimeSpan.FromHours(1) && duration.Minutes == 0 || duration >= TimeSpan.FromHours(2))
        {
            return Plural((long)duration.TotalHours, "hour");
        }

        if (duration >= TimeSpan.FromMinutes(1) && (duration.Seconds == 0 || duration >= TimeSpan.FromMinutes(2)))
        {
            return Plural((long)duration.TotalMinutes, "minute");
        }

        return Plural((long)duration.TotalSeconds, "second");
    }
}
