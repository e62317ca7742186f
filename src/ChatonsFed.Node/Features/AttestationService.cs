using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Features;

/// <summary>The chaton's declaration on the charter, criterion by criterion: reading it, and changing it (re-signed and announced).</summary>
public sealed class AttestationService(NodeOutbox outbox)
{
    /// <summary>Ids of the charter's required criteria, for <see cref="AttestationChanges.AllRequiredMet"/>.</summary>
    public IReadOnlyList<string> RequiredCriteria { get; init; } =
        [.. NodeDocumentBuilder.Criteria.Criteria.Where(c => c.Level == CriterionLevel.Required).Select(c => c.Id)];

    /// <summary>Human labels of the charter criteria, shown on the profile page; an id without one is shown as is.</summary>
    public IReadOnlyDictionary<string, CriterionLabel> CriterionLabels { get; init; } =
        NodeDocumentBuilder.Criteria.Criteria.ToDictionary(c => c.Id, c => new CriterionLabel(c.LabelFr, c.LabelEn), StringComparer.Ordinal);

    public AttestationRecord Get() => outbox.Attestation();

    /// <summary>Records the criteria met, not met and their notes; re-signs the attestation and queues its <c>Update</c>.</summary>
    public async Task<ChangeResult> SetAsync(AttestationChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var profile = outbox.Profile();
        NodeOutbox.EnsureActive(profile);
        var attestation = outbox.Attestation();
        var criteria = attestation.Criteria.ToDictionary(c => c.Id, StringComparer.Ordinal);
        CriterionRecord Entry(string id)
        {
            var checkedId = CheckCriterionId(id);
            if (!criteria.TryGetValue(checkedId, out var entry))
            {
                entry = new CriterionRecord { Id = checkedId };
                criteria[checkedId] = entry;
                attestation.Criteria.Add(entry);
            }

            return entry;
        }

        if (changes.AllRequiredMet)
        {
            if (RequiredCriteria.Count == 0)
            {
                throw new InvalidFieldException("allRequiredMet", "allRequiredMet needs the charter's criteria list, which is not available; list the criteria met instead");
            }

            foreach (var id in RequiredCriteria)
            {
                Entry(id).Met = true;
            }
        }

        foreach (var id in changes.Met)
        {
            Entry(id).Met = true;
        }

        foreach (var id in changes.NotMet)
        {
            if (changes.Met.Contains(id, StringComparer.Ordinal))
            {
                throw new NodeInputException($"criterion '{id}' is given both as met and as not met; give it once");
            }

            Entry(id).Met = false;
        }

        foreach (var (id, note) in changes.Notes)
        {
            Entry(id).Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        }

        return await outbox.PublishAsync(now =>
        {
            attestation.Updated = NodeOutbox.Bump(attestation.Updated, now);
            outbox.Store.Attestations.Upsert(attestation);
            var document = outbox.Builder.Attestation(attestation, profile.Name, outbox.Keys);
            outbox.SaveDocument(NodeUrls.AttestationPath, document, now);
            var met = attestation.Criteria.Count(c => c.Met);
            return [outbox.Builder.Update(document, outbox.Keys), outbox.NoteActivity($"Déclaration sur la charte mise à jour : {met} critère(s) sur {attestation.Criteria.Count} rempli(s)", outbox.Builder.Urls.Attestation)];
        }, cancellationToken);
    }

    private string CheckCriterionId(string id)
    {
        // Its form first, whether or not the criteria list could be loaded.
        var checkedId = FieldRules.CriterionId(id);
        return CriterionLabels.Count > 0 && !CriterionLabels.ContainsKey(checkedId)
            ? throw new NodeInputException($"'{id}' is not in the charter criteria list; known ids: {string.Join(", ", CriterionLabels.Keys)}")
            : id;
    }
}
