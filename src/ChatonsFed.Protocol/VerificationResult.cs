namespace ChatonsFed.Protocol;

/// <summary>The outcome of checking a signature or proof: valid, or invalid with a reason a person can read.</summary>
public readonly record struct VerificationResult(bool IsValid, string? Failure)
{
    public static VerificationResult Valid { get; } = new(true, null);

    public static VerificationResult Invalid(string reason) => new(false, reason);

    public override string ToString() => IsValid ? "valid" : $"invalid: {Failure}";
}
