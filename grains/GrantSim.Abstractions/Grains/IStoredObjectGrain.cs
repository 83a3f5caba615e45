using GrantSim.Ecr;

namespace GrantSim.Grains;

/// <summary>One encrypted object of one repository incarnation, content-addressed; lives in grain storage so any silo can serve it.</summary>
[Alias("GrantSim.IStoredObjectGrain")]
public interface IStoredObjectGrain : IGrainWithStringKey
{
    [Alias("Put")] Task Put(StoredObject storedObject);
    [Alias("Get")] Task<StoredObject?> Get();
    [Alias("Delete")] Task Delete();
}
