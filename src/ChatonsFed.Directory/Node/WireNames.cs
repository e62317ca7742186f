using System.Diagnostics.CodeAnalysis;

namespace ChatonsFed.Directory.Node;

/// <summary>The strings that stand for the node's enumerations on the wire, and back.</summary>
public static class WireNames
{
    private static readonly WireTable<StructureType> StructureTypes = new(
        "structureType",
        (StructureType.Association, "ASSOCIATION"),
        (StructureType.Informal, "INFORMAL"),
        (StructureType.Cooperative, "COOPERATIVE"),
        (StructureType.Microcompany, "MICROCOMPANY"),
        (StructureType.Company, "COMPANY"),
        (StructureType.Individual, "INDIVIDUAL"),
        (StructureType.Other, "OTHER"));

    private static readonly WireTable<MembershipStatus> MembershipStatuses = new(
        "membership.status",
        (MembershipStatus.Active, "ACTIVE"),
        (MembershipStatus.Idle, "IDLE"),
        (MembershipStatus.Away, "AWAY"));

    private static readonly WireTable<Registration> Registrations = new(
        "registration",
        (Registration.None, "none"),
        (Registration.Free, "free"),
        (Registration.Member, "member"),
        (Registration.Client, "client"));

    private static readonly WireTable<Capacity> Capacities = new(
        "capacity",
        (Capacity.Open, "open"),
        (Capacity.Full, "full"));

    private static readonly WireTable<ServiceStatus> ServiceStatuses = new(
        "status",
        (ServiceStatus.Ok, "ok"),
        (ServiceStatus.Degraded, "degraded"),
        (ServiceStatus.Down, "down"),
        (ServiceStatus.Closed, "closed"));

    public static string ToWire(StructureType value) => StructureTypes.ToWire(value);

    public static string ToWire(MembershipStatus value) => MembershipStatuses.ToWire(value);

    public static string ToWire(Registration value) => Registrations.ToWire(value);

    public static string ToWire(Capacity value) => Capacities.ToWire(value);

    public static string ToWire(ServiceStatus value) => ServiceStatuses.ToWire(value);

    /// <summary>The wire strings allowed for <typeparamref name="TEnum"/>, in declaration order.</summary>
    public static IReadOnlyList<string> AllowedValues<TEnum>()
        where TEnum : struct, Enum => Table<TEnum>().Names;

    /// <summary>
    /// Reads a wire string (exact spelling, as PROTOCOL.md writes it). On failure <paramref name="error"/>
    /// names the property, the value received and the values allowed.
    /// </summary>
    public static bool TryParse<TEnum>(string? wire, out TEnum value, [NotNullWhen(false)] out string? error)
        where TEnum : struct, Enum => Table<TEnum>().TryParse(wire, out value, out error);

    /// <summary>Reads a wire string or throws a <see cref="FormatException"/> that says what was expected.</summary>
    public static TEnum Parse<TEnum>(string? wire)
        where TEnum : struct, Enum =>
        TryParse(wire, out TEnum value, out var error) ? value : throw new FormatException(error);

    private static WireTable<TEnum> Table<TEnum>()
        where TEnum : struct, Enum
    {
        object table = typeof(TEnum) switch
        {
            var t when t == typeof(StructureType) => StructureTypes,
            var t when t == typeof(MembershipStatus) => MembershipStatuses,
            var t when t == typeof(Registration) => Registrations,
            var t when t == typeof(Capacity) => Capacities,
            var t when t == typeof(ServiceStatus) => ServiceStatuses,
            _ => throw new ArgumentException($"{typeof(TEnum).Name} has no wire names.", nameof(TEnum)),
        };
        return (WireTable<TEnum>)table;
    }

    private sealed class WireTable<TEnum>
        where TEnum : struct, Enum
    {
        private readonly string _property;
        private readonly Dictionary<TEnum, string> _toWire = [];
        private readonly Dictionary<string, TEnum> _fromWire = new(StringComparer.Ordinal);

        public WireTable(string property, params (TEnum Value, string Wire)[] pairs)
        {
            _property = property;
            foreach (var (value, wire) in pairs)
            {
                _toWire.Add(value, wire);
                _fromWire.Add(wire, value);
            }

            Names = [.. pairs.Select(p => p.Wire)];
        }

        public IReadOnlyList<string> Names { get; }

        public string ToWire(TEnum value) =>
            _toWire.TryGetValue(value, out var wire)
                ? wire
                : throw new ArgumentOutOfRangeException(nameof(value), value, $"{value} is not a defined {typeof(TEnum).Name}.");

        public bool TryParse(string? wire, out TEnum value, [NotNullWhen(false)] out string? error)
        {
            if (wire is not null && _fromWire.TryGetValue(wire, out value))
            {
                error = null;
                return true;
            }

            value = default;
            var received = wire is null ? "no value" : $"\"{wire}\"";
            error = $"{_property}: {received} is not allowed; expected one of {string.Join(", ", Names)}.";
            return false;
        }
    }
}
