namespace ChatonsFed.Cli.Commands;

/// <summary>
/// The command-line option for each field of the node's messages. The node names fields as its admin API does
/// (<c>memberSince</c>); a message that starts with a field is shown with the option the user typed instead
/// (<c>--member-since</c>), whether it came from the files directly or from the running node.
/// </summary>
internal static class FieldFlags
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["name"] = "--name",
        ["summary"] = "--summary",
        ["website"] = "--website",
        ["latitude"] = "--latitude",
        ["longitude"] = "--longitude",
        ["placeName"] = "--place-name",
        ["structureType"] = "--structure-type",
        ["country"] = "--country",
        ["membershipStatus"] = "--membership-status",
        ["memberSince"] = "--member-since",
        ["memberUntil"] = "--member-until",
        ["contact"] = "--contact",
        ["legalNotice"] = "--legal-notice",
        ["icon"] = "--icon",
        ["slug"] = "--slug",
        ["category"] = "--category",
        ["url"] = "--url",
        ["software"] = "--software",
        ["softwareVersion"] = "--software-version",
        ["license"] = "--license",
        ["sourceCode"] = "--source-code",
        ["registration"] = "--registration",
        ["capacity"] = "--capacity",
        ["status"] = "--status",
        ["allRequiredMet"] = "--all-required-met",
        ["validDays"] = "--valid-days",
        ["criteria"] = "--criteria",
        ["note"] = "--note",
    };

    /// <summary><paramref name="message"/> with its leading field name, if it has one, written as the option.</summary>
    public static string InMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var end = message.IndexOf(' ', StringComparison.Ordinal);
        return end > 0 && Flags.TryGetValue(message[..end], out var flag) ? flag + message[end..] : message;
    }
}
