namespace GrantSim.Ecr;

/// <summary>Layers and configs are blobs in the layer bucket; manifests are kept in the manifest bucket and use the registry grant.</summary>
public enum StoredObjectKind
{
    Blob,
    Manifest,
}
