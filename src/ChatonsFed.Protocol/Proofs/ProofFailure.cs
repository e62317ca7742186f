namespace ChatonsFed.Protocol.Proofs;

/// <summary>
/// The reasons a proof is refused. Each <see cref="VerificationResult.Failure"/> starts with one of these,
/// followed where useful by ": " and the details.
/// </summary>
public static class ProofFailure
{
    public const string NoProof = "the object has no proof";
    public const string ProofNotAnObject = "the proof is not a JSON object";
    public const string WrongProofType = "the proof type is not DataIntegrityProof";
    public const string ProofChain = "proof chains (previousProof) are not supported";
    public const string WrongCryptosuite = "the proof cryptosuite is not eddsa-jcs-2022";
    public const string WrongProofPurpose = "the proof purpose is not assertionMethod";
    public const string BadVerificationMethod = "the proof verificationMethod is missing or not an http(s) URL";
    public const string BadProofValue = "the proof value is missing or not a base58btc Ed25519 signature";
    public const string BadCreated = "the proof created is not an XML Schema dateTime";
    public const string ContextMismatch = "the proof @context is not a prefix of the document @context";
    public const string NoObjectId = "the object has no http(s) id";
    public const string VerificationMethodOrigin = "the verificationMethod is not on the origin of the object id";
    public const string NoOwner = "the object names no owner (actor or attributedTo) and is not an actor";
    public const string SeveralOwners = "the object names more than one owner";
    public const string OwnerOrigin = "the owner is not on the origin of the object id";
    public const string ActorMismatch = "the actor document given is not the object's owner";
    public const string NotInAssertionMethod = "the verificationMethod is not listed in the owner's assertionMethod";
    public const string KeyNotFound = "the owner lists the verificationMethod but its key is not in the actor document";
    public const string NotMultikey = "the verificationMethod is not a Multikey";
    public const string ControllerMismatch = "the Multikey controller is not the owner";
    public const string BadPublicKey = "the Multikey publicKeyMultibase is not an Ed25519 public key";
    public const string OwnerUnavailable = "the owner's actor document could not be retrieved";
    public const string BadSignature = "the signature does not match the document";
    public const string Malformed = "the document cannot be canonicalized";
}
