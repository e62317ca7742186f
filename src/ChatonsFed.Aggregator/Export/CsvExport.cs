using System.Globalization;
using System.Text;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Directory.Node;

namespace ChatonsFed.Aggregator.Export;

/// <summary>
/// The directory as CSV (RFC 4180): UTF-8 without byte order mark, a header row, CRLF line ends, a field quoted when it
/// holds a comma, a quote or a line break (quotes doubled). One row per chaton, ordered by actor id; lists inside a
/// field are sorted and joined with <c>;</c>.
/// </summary>
public static class CsvExport
{
    /// <summary>The header row, in column order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "actor_id", "name", "preferred_username", "website", "structure_type", "membership_status", "member_since",
        "country", "place", "latitude", "longitude", "service_count", "service_categories", "software", "registrations",
        "open_to_new_accounts", "declares_all_required_criteria", "charter_version", "updated", "admission_status", "admission_endorsements",
    ];

    /// <param name="admission">This aggregator's view of each chaton's membership; the two admission columns stay empty without it.</param>
    public static void Write(Stream output, IEnumerable<ChatonListing> listings, CharterCriteriaCatalog? criteria = null, Func<string, EntryAdmission?>? admission = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(listings);
        criteria ??= CharterCriteriaCatalog.LoadDefault();
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var writer = new StreamWriter(output, encoding, bufferSize: 16 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        WriteRow(writer, Columns);
        foreach (var listing in listings.OrderBy(l => l.ActorId, StringComparer.Ordinal))
        {
            WriteRow(writer, Row(listing, criteria, admission?.Invoke(listing.ActorId)));
        }
    }

    private static string?[] Row(ChatonListing listing, CharterCriteriaCatalog criteria, EntryAdmission? admission)
    {
        var services = listing.Services;
        return
        [
            listing.ActorId,
            listing.Name,
            listing.PreferredUsername,
            listing.Website,
            listing.StructureType,
            listing.MembershipStatus,
            listing.MemberSince is { } since ? ExportFormat.Date(since) : null,
            listing.Country,
            listing.Location?.Name,
            listing.Location is { } latitude ? ExportFormat.Number(latitude.Latitude) : null,
            listing.Location is { } longitude ? ExportFormat.Number(longitude.Longitude) : null,
            services.Count.ToString(CultureInfo.InvariantCulture),
            Joined(services.Select(s => s.Category)),
            Joined(services.Select(s => s.SoftwareName)),
            Joined(services.Select(s => s.Registration)),
            Boolean(services.Any(s => s.OpenToNewAccounts)),
            Boolean(listing.DeclaresAllRequiredCriteria(criteria)),
            listing.Attestation?.CharterVersion,
            listing.LastUpdated is { } updated ? ExportFormat.Instant(updated) : null,
            admission?.Status,
            admission?.Endorsements.ToString(CultureInfo.InvariantCulture),
        ];
    }

    private static string Boolean(bool value) => value ? "true" : "false";

    private static string Joined(IEnumerable<string?> values) =>
        string.Join(';', values.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static void WriteRow(StreamWriter writer, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            writer.Write(Escape(fields[i]));
        }

        writer.WriteLine();
    }

    internal static string Escape(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return "";
        }

        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
