using System.Buffers.Text;
using System.Globalization;
using System.Text;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Directory.Node;
using ChatonsFed.Directory.Text;

namespace ChatonsFed.Aggregator.Search;

/// <summary>
/// The in-memory search index over the listed chatons: facets per chaton and per service, an inverted index of folded
/// word prefixes, and the chatons with a location sorted by latitude so that a circle or a box only looks at its band.
/// Safe for concurrent use; every change is applied in place.
/// </summary>
public sealed class DirectoryIndex
{
    private readonly Lock _gate = new();
    private readonly ServiceCategoryCatalog _categories;
    private readonly CharterCriteriaCatalog _criteria;
    private readonly List<Entry?> _slots = [];
    private readonly Stack<int> _free = new();
    private readonly Dictionary<string, int> _slotByActor = new(StringComparer.Ordinal);
    private readonly List<(double Latitude, int Slot)> _byLatitude = [];
    private readonly Dictionary<string, HashSet<int>> _postings = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _vocabulary = new(StringComparer.Ordinal);

    public DirectoryIndex(ServiceCategoryCatalog? categories = null, CharterCriteriaCatalog? criteria = null)
    {
        _categories = categories ?? ServiceCategoryCatalog.LoadDefault();
        _criteria = criteria ?? CharterCriteriaCatalog.LoadDefault();
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _slotByActor.Count;
            }
        }
    }

    /// <summary>Every listing, ordered by actor id (ordinal).</summary>
    public IReadOnlyList<ChatonListing> Listings
    {
        get
        {
            lock (_gate)
            {
                return [.. _slotByActor.Values.Select(s => _slots[s]!.Listing).OrderBy(l => l.ActorId, StringComparer.Ordinal)];
            }
        }
    }

    public ChatonListing? Find(string actorId)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        lock (_gate)
        {
            return _slotByActor.TryGetValue(actorId, out var slot) ? _slots[slot]!.Listing : null;
        }
    }

    /// <summary>Replaces the whole content of the index with <paramref name="listings"/> (one per actor).</summary>
    public void Load(IEnumerable<ChatonListing> listings)
    {
        ArgumentNullException.ThrowIfNull(listings);
        var entries = listings.Select(CreateEntry).ToList();
        lock (_gate)
        {
            Clear();
            foreach (var entry in entries)
            {
                var slot = AddSlot();
                _slots[slot] = entry;
                _slotByActor.Add(entry.Listing.ActorId, slot);
                Link(slot, entry, sorted: false);
            }

            _byLatitude.Sort(LatitudeOrder.Instance);
        }
    }

    /// <summary>Adds or replaces the chaton's listing.</summary>
    public void Upsert(ChatonListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var entry = CreateEntry(listing);
        lock (_gate)
        {
            if (_slotByActor.TryGetValue(listing.ActorId, out var slot))
            {
                Unlink(slot, _slots[slot]!);
            }
            else
            {
                slot = _free.Count > 0 ? _free.Pop() : AddSlot();
                _slotByActor[listing.ActorId] = slot;
            }

            _slots[slot] = entry;
            Link(slot, entry, sorted: true);
        }
    }

    /// <summary>Replaces what was observed of a chaton (seen, stale, last check) without touching what it publishes.</summary>
    public void UpdateObservation(string actorId, ChatonObservation observation)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        ArgumentNullException.ThrowIfNull(observation);
        lock (_gate)
        {
            if (_slotByActor.TryGetValue(actorId, out var slot))
            {
                var entry = _slots[slot]!;
                _slots[slot] = entry with { Listing = entry.Listing with { Observation = observation } };
            }
        }
    }

    public bool Remove(string actorId)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        lock (_gate)
        {
            if (!_slotByActor.Remove(actorId, out var slot))
            {
                return false;
            }

            Unlink(slot, _slots[slot]!);
            _slots[slot] = null;
            _free.Push(slot);
            return true;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _slots.Clear();
            _free.Clear();
            _slotByActor.Clear();
            _byLatitude.Clear();
            _postings.Clear();
            _vocabulary.Clear();
        }
    }

    /// <summary>Runs <paramref name="query"/>.</summary>
    /// <exception cref="ArgumentException">A value is out of range, the cursor is not one of this sort, or the sort is by distance without a centre.</exception>
    public SearchPage Search(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new Filter(query, _categories);
        var cursor = query.Cursor is null ? (SortKey?)null : SortKey.Parse(query.Cursor, query.Sort);
        var matches = new List<Match>();
        lock (_gate)
        {
            var textMatches = filter.Words.Count == 0 ? null : MatchWords(filter.Words);
            if (textMatches is null || textMatches.Length > 0)
            {
                foreach (var slot in Candidates(filter))
                {
                    if ((textMatches is null || (textMatches[slot >> 6] & (1UL << slot)) != 0) && filter.Matches(_slots[slot]!, out var match))
                    {
                        matches.Add(match);
                    }
                }
            }
        }

        var comparer = new SortKeyComparer(query.Sort);
        var total = matches.Count;
        if (cursor is { } after)
        {
            matches.RemoveAll(m => comparer.Compare(m.Key, after) <= 0);
        }

        var take = Math.Min(query.Offset + query.Limit, matches.Count);
        var top = SmallestFirst(matches, take, comparer);
        var hits = top.Skip(query.Offset).Select(m => m.ToHit()).ToList();
        var next = query.Offset + query.Limit < matches.Count && hits.Count > 0 ? top[^1].Key.Format(query.Sort) : null;
        return new SearchPage(hits, total, next);
    }

    private int AddSlot()
    {
        _slots.Add(null);
        return _slots.Count - 1;
    }

    private IEnumerable<int> Candidates(Filter filter)
    {
        if (filter.LatitudeBand is not { } band)
        {
            for (var slot = 0; slot < _slots.Count; slot++)
            {
                if (_slots[slot] is not null)
                {
                    yield return slot;
                }
            }

            yield break;
        }

        for (var i = LowerBound(band.South); i < _byLatitude.Count && _byLatitude[i].Latitude <= band.North; i++)
        {
            yield return _byLatitude[i].Slot;
        }
    }

    /// <summary>The slots whose text has a word starting with each of <paramref name="words"/>, as a bit set.</summary>
    private ulong[] MatchWords(IReadOnlyList<string> words)
    {
        var size = (_slots.Count + 63) >> 6;
        ulong[]? result = null;
        foreach (var word in words)
        {
            var found = new ulong[size];
            foreach (var known in _vocabulary.GetViewBetween(word, word + char.MaxValue))
            {
                foreach (var slot in _postings[known])
                {
                    found[slot >> 6] |= 1UL << slot;
                }
            }

            if (result is null)
            {
                result = found;
            }
            else
            {
                for (var i = 0; i < size; i++)
                {
                    result[i] &= found[i];
                }
            }
        }

        return result is not null && result.Any(w => w != 0) ? result : [];
    }

    private void Link(int slot, Entry entry, bool sorted)
    {
        if (entry.HasLocation && sorted)
        {
            var position = _byLatitude.BinarySearch((entry.Latitude, slot), LatitudeOrder.Instance);
            _byLatitude.Insert(~position, (entry.Latitude, slot));
        }
        else if (entry.HasLocation)
        {
            _byLatitude.Add((entry.Latitude, slot));
        }

        foreach (var word in entry.Words)
        {
            if (!_postings.TryGetValue(word, out var slots))
            {
                _postings[word] = slots = [];
                _vocabulary.Add(word);
            }

            slots.Add(slot);
        }
    }

    private void Unlink(int slot, Entry entry)
    {
        if (entry.HasLocation)
        {
            _byLatitude.RemoveAt(_byLatitude.BinarySearch((entry.Latitude, slot), LatitudeOrder.Instance));
        }

        foreach (var word in entry.Words)
        {
            var slots = _postings[word];
            slots.Remove(slot);
            if (slots.Count == 0)
            {
                _postings.Remove(word);
                _vocabulary.Remove(word);
            }
        }
    }

    private int LowerBound(double latitude)
    {
        int low = 0, high = _byLatitude.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_byLatitude[middle].Latitude < latitude)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private Entry CreateEntry(ChatonListing listing)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        AddWords(words, listing.Name, listing.PreferredUsername, listing.Summary, listing.Location?.Name);
        var services = new ServiceFacet[listing.Services.Count];
        for (var i = 0; i < services.Length; i++)
        {
            var service = listing.Services[i];
            var category = service.Category is null ? null : _categories.Describe(service.Category);
            AddWords(words, service.Name, service.Summary, service.SoftwareName);
            if (category is { IsKnown: true })
            {
                AddWords(words, category.LabelFr, category.LabelEn);
            }
            else
            {
                AddWords(words, service.Category);
            }

            services[i] = new ServiceFacet(
                service.Id,
                category?.IsKnown == true ? category.Id : ServiceCategoryCatalog.OtherId,
                category?.FamilyId ?? ServiceCategoryCatalog.OtherId,
                service.SoftwareName is null ? null : TextFolding.Fold(service.SoftwareName),
                WireNames.TryParse<Registration>(service.Registration, out var registration, out _) ? registration : null,
                service.OpenToNewAccounts);
        }

        var location = listing.Location;
        return new Entry(
            listing,
            TextFolding.Fold(listing.Name),
            location is not null,
            location?.Latitude ?? double.NaN,
            location?.Longitude ?? double.NaN,
            WireNames.TryParse<StructureType>(listing.StructureType, out var structure, out _) ? structure : null,
            WireNames.TryParse<MembershipStatus>(listing.MembershipStatus, out var membership, out _) ? membership : null,
            listing.DeclaresAllRequiredCriteria(_criteria),
            listing.LastUpdated?.UtcTicks ?? long.MinValue,
            services,
            [.. words]);
    }

    private static void AddWords(HashSet<string> words, params ReadOnlySpan<string?> texts)
    {
        foreach (var text in texts)
        {
            foreach (var word in TextFolding.Words(text))
            {
                words.Add(word);
            }
        }
    }

    /// <summary>The <paramref name="count"/> smallest matches in order, without sorting all of them when few are wanted.</summary>
    private static List<Match> SmallestFirst(List<Match> matches, int count, SortKeyComparer comparer)
    {
        if (count <= 0)
        {
            return [];
        }

        var keyComparer = Comparer<Match>.Create((a, b) => comparer.Compare(a.Key, b.Key));
        if (count * 4 >= matches.Count)
        {
            matches.Sort(keyComparer);
            return matches.GetRange(0, count);
        }

        // A max-heap of the best `count` seen so far: its root is the worst of them.
        var heap = new PriorityQueue<Match, Match>(count, Comparer<Match>.Create((a, b) => comparer.Compare(b.Key, a.Key)));
        foreach (var match in matches)
        {
            if (heap.Count < count)
            {
                heap.Enqueue(match, match);
            }
            else if (comparer.Compare(match.Key, heap.Peek().Key) < 0)
            {
                heap.DequeueEnqueue(match, match);
            }
        }

        var best = new List<Match>(heap.Count);
        while (heap.TryDequeue(out var match, out _))
        {
            best.Add(match);
        }

        best.Reverse();
        return best;
    }

    private sealed record Entry(
        ChatonListing Listing,
        string SortName,
        bool HasLocation,
        double Latitude,
        double Longitude,
        StructureType? StructureType,
        MembershipStatus? Membership,
        bool AllRequired,
        long UpdatedTicks,
        ServiceFacet[] Services,
        string[] Words);

    private readonly record struct ServiceFacet(string Id, string Category, string Family, string? Software, Registration? Registration, bool Open);

    private readonly record struct Match(Entry Entry, double? Distance, IReadOnlyList<string> ServiceIds, SortKey Key)
    {
        public SearchHit ToHit() => new(Entry.Listing, Distance, ServiceIds);
    }

    private readonly record struct SortKey(string Name, double Distance, long Ticks, string ActorId)
    {
        public string Format(SearchSort sort)
        {
            var key = sort switch
            {
                SearchSort.Distance => Distance.ToString("R", CultureInfo.InvariantCulture),
                SearchSort.LastUpdated => Ticks.ToString(CultureInfo.InvariantCulture),
                _ => Name,
            };
            return Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{(int)sort}\n{ActorId}\n{key}"));
        }

        private const string NotACursor = "the cursor is not one this directory gave: pass the nextCursor of the previous page.";

        public static SortKey Parse(string cursor, SearchSort sort)
        {
            string[] parts;
            try
            {
                parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n', 3);
            }
            catch (FormatException e)
            {
                throw new ArgumentException(NotACursor, e);
            }

            if (parts.Length != 3)
            {
                throw new ArgumentException(NotACursor);
            }

            if (parts[0] != ((int)sort).ToString(CultureInfo.InvariantCulture))
            {
                throw new ArgumentException("the cursor belongs to a search with another sort: keep the sort of the page that gave it.");
            }

            var key = parts[2];
            return sort switch
            {
                SearchSort.Distance when double.TryParse(key, NumberStyles.Float, CultureInfo.InvariantCulture, out var distance) => new SortKey("", distance, 0, parts[1]),
                SearchSort.LastUpdated when long.TryParse(key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) => new SortKey("", 0, ticks, parts[1]),
                SearchSort.Name => new SortKey(key, 0, 0, parts[1]),
                _ => throw new ArgumentException(NotACursor),
            };
        }
    }

    private sealed class SortKeyComparer(SearchSort sort) : IComparer<SortKey>
    {
        public int Compare(SortKey x, SortKey y)
        {
            var order = sort switch
            {
                SearchSort.Distance => x.Distance.CompareTo(y.Distance),
                SearchSort.LastUpdated => y.Ticks.CompareTo(x.Ticks),
                _ => string.CompareOrdinal(x.Name, y.Name),
            };
            return order != 0 ? order : string.CompareOrdinal(x.ActorId, y.ActorId);
        }
    }

    private sealed class LatitudeOrder : IComparer<(double Latitude, int Slot)>
    {
        public static readonly LatitudeOrder Instance = new();

        public int Compare((double Latitude, int Slot) x, (double Latitude, int Slot) y)
        {
            var order = x.Latitude.CompareTo(y.Latitude);
            return order != 0 ? order : x.Slot.CompareTo(y.Slot);
        }
    }

    /// <summary>A query checked and prepared once: sets to look values up in, the latitude band, the circle in radians.</summary>
    private sealed class Filter
    {
        private readonly SearchQuery _query;
        private readonly HashSet<string>? _categories;
        private readonly HashSet<string>? _software;
        private readonly HashSet<Registration>? _registrations;
        private readonly HashSet<StructureType>? _structureTypes;
        private readonly HashSet<MembershipStatus>? _memberships;
        private readonly bool _servicesFiltered;
        private readonly double _centrePhi;
        private readonly double _centreCos;
        private readonly double _longitudeWindow;

        public Filter(SearchQuery query, ServiceCategoryCatalog catalog)
        {
            _query = query;
            if (query.Limit is < 1 or > SearchQuery.MaxLimit)
            {
                throw new ArgumentException($"limit must be between 1 and {SearchQuery.MaxLimit}.");
            }

            if (query.Offset < 0)
            {
                throw new ArgumentException("offset must not be negative.");
            }

            if (query.Sort == SearchSort.Distance && query.Near is null)
            {
                throw new ArgumentException("sorting by distance needs a centre (near).");
            }

            if (query.Categories is { Count: > 0 } || query.Families is { Count: > 0 })
            {
                _categories = new HashSet<string>(query.Categories ?? [], StringComparer.Ordinal);
                foreach (var family in query.Families ?? [])
                {
                    _categories.UnionWith(family == ServiceCategoryCatalog.OtherId ? [family] : catalog.InFamily(family).Select(c => c.Id));
                }
            }

            _software = query.Software is { Count: > 0 } ? query.Software.Select(TextFolding.Fold).ToHashSet(StringComparer.Ordinal) : null;
            _registrations = query.Registrations is { Count: > 0 } ? [.. query.Registrations] : null;
            _structureTypes = query.StructureTypes is { Count: > 0 } ? [.. query.StructureTypes] : null;
            _memberships = query.MembershipStatuses is { Count: > 0 } ? [.. query.MembershipStatuses] : null;
            _servicesFiltered = _categories is not null || _software is not null || _registrations is not null || query.OpenToNewAccounts;
            Words = [.. TextFolding.Words(query.Text).Distinct(StringComparer.Ordinal)];

            (double South, double North)? band = null;
            if (query.Near is { } near)
            {
                CheckPoint(near.Latitude, near.Longitude);
                if (!double.IsFinite(near.RadiusKm) || near.RadiusKm < 0)
                {
                    throw new ArgumentException("the radius must be a number of kilometres, zero or more.");
                }

                // A hair wider than the radius, so that rounding never leaves out a point the distance keeps.
                var degrees = (near.RadiusKm / GeoMath.KmPerDegree) + 1e-9;
                band = (Math.Max(-90, near.Latitude - degrees), Math.Min(90, near.Latitude + degrees));
                _centrePhi = GeoMath.ToRadians(near.Latitude);
                _centreCos = Math.Cos(_centrePhi);

                // Beyond the band's highest latitude a circle is never wider than this; at a pole, or when it wraps, take every longitude.
                var widest = Math.Max(Math.Abs(band.Value.South), Math.Abs(band.Value.North));
                _longitudeWindow = band.Value.South <= -90 || band.Value.North >= 90 || degrees >= 90
                    ? 180
                    : Math.Min(180, degrees / Math.Cos(GeoMath.ToRadians(widest)));
            }

            if (query.Within is { } box)
            {
                CheckPoint(box.South, box.West);
                CheckPoint(box.North, box.East);
                if (box.South > box.North)
                {
                    throw new ArgumentException("the box's south is north of its north.");
                }

                band = band is { } circle ? (Math.Max(circle.South, box.South), Math.Min(circle.North, box.North)) : (box.South, box.North);
            }

            LatitudeBand = band;
        }

        public IReadOnlyList<string> Words { get; }

        public (double South, double North)? LatitudeBand { get; }

        public bool Matches(Entry entry, out Match match)
        {
            match = default;
            var listing = entry.Listing;
            if ((!_query.IncludeStale && listing.Observation.Stale)
                || (_query.Among is { } among && !among.Contains(listing.ActorId))
                || (_structureTypes is not null && (entry.StructureType is not { } structure || !_structureTypes.Contains(structure)))
                || (_memberships is not null && (entry.Membership is not { } membership || !_memberships.Contains(membership)))
                || (_query.Country is { } country && !string.Equals(listing.Country, country, StringComparison.OrdinalIgnoreCase))
                || (_query.DeclaresAllRequiredCriteria is { } declares && entry.AllRequired != declares))
            {
                return false;
            }

            double? distance = null;
            if (_query.Near is { } near)
            {
                if (!entry.HasLocation || GeoMath.LongitudeGap(entry.Longitude, near.Longitude) > _longitudeWindow)
                {
                    return false;
                }

                var phi = GeoMath.ToRadians(entry.Latitude);
                var d = GeoMath.Haversine(_centrePhi, _centreCos, phi, Math.Cos(phi), GeoMath.ToRadians(entry.Longitude - near.Longitude));
                if (d > near.RadiusKm)
                {
                    return false;
                }

                distance = d;
            }

            if (_query.Within is { } box && !(entry.HasLocation && InBox(box, entry.Latitude, entry.Longitude)))
            {
                return false;
            }

            IReadOnlyList<string> serviceIds = [];
            if (_servicesFiltered)
            {
                List<string>? matching = null;
                foreach (var service in entry.Services)
                {
                    if ((_categories is null || _categories.Contains(service.Category))
                        && (_software is null || (service.Software is { } software && _software.Contains(software)))
                        && (_registrations is null || (service.Registration is { } registration && _registrations.Contains(registration)))
                        && (!_query.OpenToNewAccounts || service.Open))
                    {
                        (matching ??= []).Add(service.Id);
                    }
                }

                if (matching is null)
                {
                    return false;
                }

                serviceIds = matching;
            }

            if (_query.Observed is { } observed && !observed(listing, _servicesFiltered ? serviceIds : null))
            {
                return false;
            }

            match = new Match(entry, distance, serviceIds, new SortKey(entry.SortName, distance ?? 0, entry.UpdatedTicks, listing.ActorId));
            return true;
        }

        private static bool InBox(GeoBox box, double latitude, double longitude) =>
            latitude >= box.South && latitude <= box.North
            && (box.West <= box.East ? longitude >= box.West && longitude <= box.East : longitude >= box.West || longitude <= box.East);

        private static void CheckPoint(double latitude, double longitude)
        {
            if (!double.IsFinite(latitude) || latitude is < -90 or > 90 || !double.IsFinite(longitude) || longitude is < -180 or > 180)
            {
                throw new ArgumentException($"({latitude}, {longitude}) is not a latitude in [-90, 90] and a longitude in [-180, 180].");
            }
        }
    }
}
