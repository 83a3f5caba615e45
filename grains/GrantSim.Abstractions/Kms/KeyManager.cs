namespace GrantSim.Kms;

public enum KeyManager
{
    Customer,
    Aws,
}
