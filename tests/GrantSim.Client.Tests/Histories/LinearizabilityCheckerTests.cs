using GrantSim.Aws;
using GrantSim.Client.Histories;
using GrantSim.Kms;
using static GrantSim.Client.Histories.HistoryOperations;

namespace GrantSim.Client.Tests.Histories;

public sealed class LinearizabilityCheckerTests
{
    private const double Never = double.PositiveInfinity;
    private const string Ok = HistoryEntry.Ok;
    private const string Unknown = "Unknown(TimeoutException)";

    [Fact]
    public void ASequentialLife_IsLinearizable()
    {
        var verdict = Repository(
            (CreateRepository, "", Ok, 0, 1), (PushImage, "d1", Ok, 2, 3), (PullImage, "d1", Ok, 4, 5), (PullImage, "d2", AwsErrorCodes.ImageNotFound, 6, 7),
            (DeleteRepository, KeepImages, AwsErrorCodes.RepositoryNotEmpty, 8, 9), (DeleteRepository, Force, Ok, 10, 11), (PullImage, "d1", AwsErrorCodes.RepositoryNotFound, 12, 13),
            (Observe, "absent", Ok, 14, 14));

        Assert.True(verdict.Linearizable);
    }

    [Fact]
    public void ConcurrentCreates_OneFailingForKmsAndOneOk_AreLinearizable()
    {
        // kms-outage, seed 119: the old check called this a violation; the failed create simply goes first.
        var verdict = Repository((CreateRepository, "", $"{AwsErrorCodes.Kms}", 0, 2), (CreateRepository, "", Ok, 1, 3), (Observe, "present:", Ok, 4, 4));

        Assert.True(verdict.Linearizable);
    }

    [Fact]
    public void ConcurrentCreates_BothOk_AreNotLinearizable()
    {
        var verdict = Repository((CreateRepository, "", Ok, 0, 2), (CreateRepository, "", Ok, 1, 3));

        Assert.False(verdict.Linearizable);
        Assert.Equal(1, verdict.Culprit!.Id);
        Assert.Equal(2, verdict.Witness.Count);
    }

    [Fact]
    public void AnAcknowledgedPushThatAPullCannotFind_IsNotLinearizable_AndTheWitnessIsJustWhatExplainsIt()
    {
        var verdict = Repository(
            (CreateRepository, "", Ok, 0, 1), (PullImage, "d0", AwsErrorCodes.ImageNotFound, 1.5, 1.8), (PushImage, "d1", Ok, 2, 3),
            (PushImage, "d2", Ok, 3.5, 3.8), (PullImage, "d2", Ok, 4, 4.5), (PullImage, "d1", AwsErrorCodes.ImageNotFound, 5, 6), (PullImage, "d2", Ok, 7, 8));

        Assert.False(verdict.Linearizable);
        Assert.Equal(5, verdict.Culprit!.Id);
        Assert.Equal([0, 2, 5], verdict.Witness.Select(o => o.Id));
    }

    [Fact]
    public void ADeleteWithoutAnAnswer_MayHaveHappened()
    {
        var verdict = Repository(
            (CreateRepository, "", Ok, 0, 1), (PushImage, "d1", Ok, 2, 3), (DeleteRepository, Force, Unknown, 4, Never),
            (CreateRepository, "", Ok, 6, 7), (PullImage, "d1", AwsErrorCodes.ImageNotFound, 8, 9), (Observe, "present:", Ok, 10, 10));

        Assert.True(verdict.Linearizable);
    }

    [Fact]
    public void ADeleteWithoutAnAnswer_MayNotHaveHappened()
    {
        var verdict = Repository(
            (CreateRepository, "", Ok, 0, 1), (PushImage, "d1", Ok, 2, 3), (DeleteRepository, Force, Unknown, 4, Never),
            (PullImage, "d1", Ok, 8, 9));

        Assert.True(verdict.Linearizable);
    }

    [Fact]
    public void RealTimeOrder_IsRespected_ButOverlappingCallsMayGoEitherWay()
    {
        var after = Repository((CreateRepository, "", Ok, 0, 1), (PushImage, "d1", Ok, 2, 3), (PullImage, "d1", AwsErrorCodes.ImageNotFound, 4, 5));
        var overlapping = Repository((CreateRepository, "", Ok, 0, 1), (PushImage, "d1", Ok, 2, 5), (PullImage, "d1", AwsErrorCodes.ImageNotFound, 3, 4));

        Assert.False(after.Linearizable);
        Assert.True(overlapping.Linearizable);
    }

    [Fact]
    public void ARepositoryCreatedAndNeverDeleted_ThatIsGoneAtTheEnd_IsNotLinearizable()
    {
        var verdict = Repository((CreateRepository, "", Ok, 0, 1), (DeleteRepository, Force, AwsErrorCodes.AccessDenied, 2, 3), (Observe, "absent", Ok, 4, 4));

        Assert.False(verdict.Linearizable);
        Assert.Equal(Observe, verdict.Culprit!.Operation);
    }

    [Fact]
    public void KeyStates_FollowTheStateMachine_AndTheClockMayDeleteAPendingKey()
    {
        var lawful = Key(
            (DisableKey, Ok, 0, 1), (ScheduleKeyDeletion, Ok, 2, 3), (EnableKey, AwsErrorCodes.KmsInvalidState, 4, 5),
            (CancelKeyDeletion, Ok, 6, 7), (ScheduleKeyDeletion, Ok, 8, 9), (DisableKey, AwsErrorCodes.NotFound, 10, 11), (Observe, nameof(KeyState.Deleted), 12, 12));
        var unlawful = Key((ScheduleKeyDeletion, Ok, 0, 1), (EnableKey, Ok, 2, 3));

        Assert.True(lawful.Linearizable);
        Assert.False(unlawful.Linearizable);
    }

    [Fact]
    public void ASearchPastItsBudget_IsInconclusive_NotAVerdict()
    {
        // Many pushes with no answer: an exponential number of orders, and a pull that none can explain.
        var operations = Enumerable.Range(0, 14).Select(i => (PushImage, $"d{i}", Unknown, 1.0 + i, Never)).Prepend((CreateRepository, "", Ok, 0, 0.5))
            .Append((PullImage, "missing", Ok, 100, 101)).ToArray();

        var verdict = LinearizabilityChecker.Check(History(operations), RepositoryModel.Instance, budget: 1_000);

        Assert.Null(verdict.Linearizable);
    }

    [Fact]
    public void ManyUnansweredRetriesOfOnePush_AreLeftOutRatherThanPlacedAsNoOps_SoTheVerdictStaysConclusive()
    {
        // A silo killed mid-run leaves a retried push unanswered thirty times. Only the first placed can take effect;
        // placing the others as no-ops would give 2^30 orders to refute before the impossible observation is reported.
        var operations = Enumerable.Range(0, 30).Select(i => (PushImage, "d1", Unknown, 1.0 + i, Never)).Prepend((CreateRepository, "", Ok, 0, 0.5))
            .Append((Observe, "absent", Ok, 100, 100)).ToArray();

        var verdict = LinearizabilityChecker.Check(History(operations), RepositoryModel.Instance, budget: 10_000);

        Assert.False(verdict.Linearizable);
        Assert.Equal(Observe, verdict.Culprit!.Operation);
    }

    [Property(MaxTest = 200)]
    public Property AnyHistoryTheModelItselfProduces_IsLinearizable(int seed)
    {
        // Sequential calls, each answered as the model answers it (or left unanswered): always explainable.
        var random = new Random(seed);
        var state = RepositoryModelState.Absent;
        var operations = new List<(string, string, string, double, double)>();
        for (var i = 0; i < 25; i++)
        {
            var (operation, argument) = random.Next(4) switch
            {
                0 => (CreateRepository, ""),
                1 => (DeleteRepository, random.Next(2) == 0 ? Force : KeepImages),
                2 => (PushImage, $"d{random.Next(4)}"),
                _ => (PullImage, $"d{random.Next(4)}"),
            };
            var outcome = random.Next(10) == 0 ? Unknown : AnswerOf(state, operation, argument);
            var entry = new HistoryEntry(i, "r", operation, argument, outcome, i, i + 0.5);
            if (outcome != Unknown || random.Next(2) == 0)
            {
                state = RepositoryModel.Instance.Step(state, entry with { Outcome = outcome == Unknown ? AnswerOf(state, operation, argument) : outcome }).First();
            }

            operations.Add((operation, argument, outcome, i, outcome == Unknown ? Never : i + 0.5));
        }

        operations.Add((Observe, RepositoryModelState.Observation(state.Exists, state.Images.Split(',', StringSplitOptions.RemoveEmptyEntries)), Ok, 100, 100));
        return (LinearizabilityChecker.Check(History(operations.ToArray()), RepositoryModel.Instance).Linearizable == true).ToProperty();
    }

    private static string AnswerOf(RepositoryModelState state, string operation, string argument) => operation switch
    {
        CreateRepository => state.Exists ? AwsErrorCodes.RepositoryAlreadyExists : Ok,
        DeleteRepository => !state.Exists ? AwsErrorCodes.RepositoryNotFound : state.Images.Length > 0 && argument != Force ? AwsErrorCodes.RepositoryNotEmpty : Ok,
        PushImage => state.Exists ? Ok : AwsErrorCodes.RepositoryNotFound,
        _ => !state.Exists ? AwsErrorCodes.RepositoryNotFound : state.Holds(argument) ? Ok : AwsErrorCodes.ImageNotFound,
    };

    private static LinearizabilityVerdict Repository(params (string Operation, string Argument, string Outcome, double Invoked, double Returned)[] operations) =>
        LinearizabilityChecker.Check(History(operations), RepositoryModel.Instance);

    private static LinearizabilityVerdict Key(params (string Operation, string Outcome, double Invoked, double Returned)[] operations) =>
        LinearizabilityChecker.Check(
            operations.Select((o, i) => new HistoryEntry(i, "k", o.Operation, o.Operation == Observe ? o.Outcome : "", o.Operation == Observe ? Ok : o.Outcome, o.Invoked, o.Returned)).ToArray(),
            KeyModel.Instance);

    private static HistoryEntry[] History((string Operation, string Argument, string Outcome, double Invoked, double Returned)[] operations) =>
        operations.Select((o, i) => new HistoryEntry(i, "r", o.Operation, o.Argument, o.Outcome, o.Invoked, o.Returned)).ToArray();
}
