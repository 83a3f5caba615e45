namespace GrantSim.Grains;

/// <summary>The storage-managed (SSE-S3-like) master key of an account+region: AES256 repositories and the second DSSE layer use it; no KMS call.</summary>
[Alias("GrantSim.IStorageKeyGrain")]
public interface IStorageKeyGrain : IGrainWithStringKey
{
    [Alias("GetMasterKey")] Task<byte[]> GetMasterKey();
}
