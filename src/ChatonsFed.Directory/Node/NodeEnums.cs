namespace ChatonsFed.Directory.Node;

/// <summary>The legal form of a chaton (wire: <c>structureType</c>).</summary>
public enum StructureType
{
    Association,
    Informal,
    Cooperative,
    Microcompany,
    Company,
    Individual,
    Other,
}

/// <summary>Where a chaton stands in the collective (wire: <c>membership.status</c>).</summary>
public enum MembershipStatus
{
    Active,
    Idle,
    Away,
}

/// <summary>Who may open an account on a hosted service (ChatonsInfos <c>service.registration</c>).</summary>
public enum Registration
{
    None,
    Free,
    Member,
    Client,
}

/// <summary>Whether a hosted service takes new users.</summary>
public enum Capacity
{
    Open,
    Full,
}

/// <summary>How a hosted service is doing.</summary>
public enum ServiceStatus
{
    Ok,
    Degraded,
    Down,
    Closed,
}
