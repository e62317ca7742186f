namespace ChatonsFed.Directory.Node;

/// <summary>What a chaton declares about each criterion of the charter: the content of its <c>CharterAttestation</c>.</summary>
public sealed record CharterDeclaration
{
    public required CharterReference Charter { get; init; }

    public IReadOnlyList<CriterionAnswer> Criteria { get; init; } = [];

    public DateTimeOffset Published { get; init; }

    public DateTimeOffset Updated { get; init; }

    /// <summary>Structural problems (charter reference, answer ids, dates); empty when none.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Charter is null)
        {
            problems.Add("charter: is required.");
        }
        else
        {
            DomainRules.CheckOptionalWebUrl(problems, "charter.url", Charter.Url);
            if (string.IsNullOrWhiteSpace(Charter.Version))
            {
                problems.Add("charter.version: must not be empty.");
            }

            if (!DomainRules.IsSha256Digest(Charter.Digest))
            {
                problems.Add($"charter.digest: \"{Charter.Digest}\" must be \"sha256-\" followed by the base64 of 32 bytes.");
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var answer in Criteria ?? [])
        {
            if (string.IsNullOrWhiteSpace(answer.Id))
            {
                problems.Add("criteria: an answer has no criterion id.");
            }
            else if (!seen.Add(answer.Id))
            {
                problems.Add($"criteria: \"{answer.Id}\" is answered more than once.");
            }
        }

        DomainRules.CheckDates(problems, Published, Updated);
        return problems;
    }

    /// <summary>
    /// <see cref="Validate()"/>, and also that the answers cover exactly the criteria of <paramref name="catalog"/>
    /// (an attestation carries one entry per criterion of the list).
    /// </summary>
    public IReadOnlyList<string> Validate(CharterCriteriaCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var problems = new List<string>(Validate());
        var answered = (Criteria ?? []).Where(a => a.Id is not null).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var missing = catalog.Criteria.Where(c => !answered.Contains(c.Id)).Select(c => c.Id).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"criteria: no answer for {string.Join(", ", missing)}.");
        }

        var unknown = answered.Where(id => catalog.Find(id) is null).ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"criteria: {string.Join(", ", unknown)} not in the criteria list of charter {catalog.Charter.Version}.");
        }

        return problems;
    }
}

/// <summary>The charter text a declaration refers to.</summary>
/// <param name="Digest">The SHA-256 of the charter text, written <c>sha256-&lt;base64&gt;</c>.</param>
public sealed record CharterReference(Uri Url, string Version, string Digest);

/// <summary>Whether the chaton meets one criterion, with an optional remark.</summary>
public sealed record CriterionAnswer(string Id, bool Met, string? Note = null);
