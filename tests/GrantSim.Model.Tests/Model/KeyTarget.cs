using GrantSim.Model.Tests.Commands;

namespace GrantSim.Model.Tests.Model;

/// <summary>What a key reference resolves to: the key (null when none exists) and the account whose key grain it reaches.</summary>
public sealed record KeyTarget(KeyForm Form, ModelKey? Key, int KeyAccount, int KeyRegion);
