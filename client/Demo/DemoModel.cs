namespace GrantSim.Client.Demo;

/// <summary>One lesson of the demo: a title, what it teaches, and its steps in order.</summary>
public sealed record Lesson(int Number, string Title, string Introduction, IReadOnlyList<DemoStep> Steps);

/// <summary>
/// One step: what the reader is about to see, who calls what (for the diagram), the action, and
/// the one sentence on why it matters. <see cref="ExpectsRefusal"/>: the step shows a call that
/// must fail (the lesson is the error); the demo says so if it does not.
/// </summary>
public sealed record DemoStep(
    string Title,
    string WhatHappens,
    DiagramCall Call,
    Func<DemoSession, Task<string>> Action,
    string WhyItMatters,
    bool ExpectsRefusal = false,
    string? StorageNote = null);

/// <summary>The arrow that starts a step in the sequence diagram: from the client to ECR or KMS (or a note when nothing is called).</summary>
public sealed record DiagramCall(string To, string Message)
{
    public const string Ecr = "ECR";
    public const string Kms = "KMS";
    public const string Storage = "Storage";

    public static DiagramCall ToEcr(string message) => new(Ecr, message);

    public static DiagramCall ToKms(string message) => new(Kms, message);

    public static DiagramCall ToStorage(string message) => new(Storage, message);
}

/// <summary>How a step went: its result line, the KMS and ECR events it caused, and the grants of the lesson's repositories afterwards.</summary>
public sealed record StepRecord(
    Lesson Lesson,
    int Number,
    DemoStep Step,
    bool Refused,
    string Result,
    IReadOnlyList<Audit.AuditEvent> Events,
    IReadOnlyList<Kms.GrantRecord> Grants)
{
    /// <summary>The step ended as the lesson teaches: refused when it should be, successful otherwise.</summary>
    public bool AsTaught => Refused == Step.ExpectsRefusal;
}
