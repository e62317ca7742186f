using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;
using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Node.Features;

/// <summary>
/// The owner's membership operations: endorse a chaton (a signed credential, announced by an <c>Add</c>), revoke a
/// credential it issued, and list what it issued and what it holds. Bad input is refused before anything changes, with
/// an <see cref="InvalidFieldException"/> naming the request's member (<c>subject</c>, <c>validDays</c>, <c>criteria</c>,
/// <c>note</c>) or a <see cref="NodeInputException"/>, whose message says why.
/// </summary>
public sealed class MembershipService(NodeOutbox outbox, IssuedEndorsements issued, SubjectFinder finder)
{
    public const int DefaultValidDays = 365;

    /// <summary>The longest note accepted, in characters.</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>What <c>--criteria</c> takes for every criterion of the charter list.</summary>
    public const string AllCriteria = "all";

    /// <summary>The name of the request's subject, which its refusals carry (<see cref="InvalidFieldException.Field"/>).</summary>
    public const string SubjectField = "subject";

    /// <summary>The charter criteria the issuer may say it checked.</summary>
    public IReadOnlyList<string> KnownCriteria { get; init; } = [.. NodeDocumentBuilder.Criteria.Criteria.Select(c => c.Id)];

    /// <summary>Finds and checks the subject, then issues, stores, lists and announces a credential about it.</summary>
    public async Task<EndorseResult> EndorseAsync(EndorseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        NodeOutbox.EnsureActive(outbox.Profile());
        var days = request.ValidDays ?? DefaultValidDays;
        if (days is < 1 or > CredentialVerifier.MaxValidityDays)
        {
            throw new InvalidFieldException("validDays", $"validDays {days} is out of range: a credential is valid 1 to {CredentialVerifier.MaxValidityDays} days ({DefaultValidDays} when not given)");
        }

        var criteria = Criteria(request.Criteria);
        var note = Note(request.Note);
        if (string.IsNullOrWhiteSpace(request.Subject))
        {
            throw new InvalidFieldException(SubjectField, "the subject is missing: give its actor URL, acct:NAME@HOST or @NAME@HOST");
        }

        var address = outbox.Builder.Address;
        EndorsementSubject subject;
        try
        {
            subject = await finder.FindAsync(request.Subject, new SelfAddress(outbox.Builder.Urls.Actor, address.Handle, address.BaseUrl.Authority), cancellationToken);
        }
        catch (NodeInputException refused)
        {
            // Itself, not found, not a chaton, no verified attestation: each is about the subject named.
            throw new InvalidFieldException(SubjectField, refused.Message);
        }

        return await issued.IssueAsync(subject, days, criteria, note, cancellationToken);
    }

    /// <inheritdoc cref="IssuedEndorsements.RevokeAsync"/>
    public Task<RevokeResult> RevokeAsync(string? credentialId, CancellationToken cancellationToken = default)
    {
        NodeOutbox.EnsureActive(outbox.Profile());
        return issued.RevokeAsync(credentialId, cancellationToken);
    }

    /// <summary>The credentials issued, then those held.</summary>
    public MembershipOverview List()
    {
        var now = outbox.Now();
        return new MembershipOverview(issued.Entries(now), HeldEndorsements.Entries(outbox.Store, outbox.Builder.Urls.Actor, now));
    }

    /// <summary>
    /// The criteria of <c>--criteria</c>: none when not given, every criterion of the charter list for <c>all</c>, else the
    /// ids separated by commas, each in the list; each one is said met.
    /// </summary>
    public IReadOnlyList<CriterionCheck> Criteria(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        if (text.Trim().Equals(AllCriteria, StringComparison.OrdinalIgnoreCase))
        {
            return KnownCriteria.Count > 0
                ? [.. KnownCriteria.Select(id => new CriterionCheck(id, true, null))]
                : throw new InvalidFieldException("criteria", "criteria 'all' needs the charter's criteria list, which is not available; give the ids instead");
        }

        var checks = new List<CriterionCheck>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var id = FieldRules.CriterionId(part);
            if (KnownCriteria.Count > 0 && !KnownCriteria.Contains(id, StringComparer.Ordinal))
            {
                throw new InvalidFieldException("criteria", $"criteria '{id}' is not in the charter criteria list; give 'all' or ids among: {string.Join(", ", KnownCriteria)}");
            }

            if (!checks.Any(c => c.Id == id))
            {
                checks.Add(new CriterionCheck(id, true, null));
            }
        }

        return checks;
    }

    private static string? Note(string? text)
    {
        var note = FieldRules.Text(text, null)?.ReplaceLineEndings("\n");
        if (note is null)
        {
            return null;
        }

        if (note.Length > MaxNoteLength)
        {
            throw new InvalidFieldException("note", $"note has {note.Length} characters; at most {MaxNoteLength} are accepted");
        }

        return note.Any(c => char.IsControl(c) && c is not ('\n' or '\t'))
            ? throw new InvalidFieldException("note", "note is plain text: no control characters but line breaks and tabs")
            : note;
    }
}
