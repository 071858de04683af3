/// An A/B experiment: records sharing `experiment`, compared arm against the control arm
/// (the arm named `control`, else the first by name) — SPEC §3.
public struct Experiment: Sendable {
    public let name: String
    public let control: ExperimentArmResult
    /// The other arms, by name.
    public let treatments: [ExperimentArmResult]
    public let verdict: ExperimentVerdict

    public var arms: [ExperimentArmResult] { [control] + treatments }
}

public struct ExperimentArmResult: Sendable {
    public let name: String
    public let metrics: Metrics
    /// Versions this arm generated with, most used first.
    public let versions: [(version: String, records: Int)]
    /// Against the control arm; nil for the control itself or without decided generations.
    public let successTest: TwoProportionTest?
    public let ratingTest: WelchTest?
    public let costTest: WelchTest?
    /// Whether this arm has at least `analytics.minSamples` decided generations.
    public let enoughSamples: Bool
    public let comparison: ArmComparison
}

/// How an arm compares with the control.
public enum ArmComparison: Sendable, Equatable {
    case control
    case better
    case worse
    case noSignificantDifference
    case tooFewSamples(needed: Int)
}

public enum ExperimentVerdict: Sendable, Equatable {
    case winner(String)
    case noWinner
    case tooFewSamples
}

extension Experiment {
    /// The significance level of the winner rule.
    public static let alpha = 0.05

    init(name: String, arms: [(arm: String, aggregate: Aggregate, versions: [String: Int])], minSamples: Int, confidence: Double) {
        self.name = name
        let sorted = arms.sorted { $0.arm < $1.arm }
        let controlIndex = sorted.firstIndex { $0.arm == "control" } ?? 0
        let controlArm = sorted[controlIndex]
        let controlEnough = controlArm.aggregate.decided >= minSamples
        func versions(_ counts: [String: Int]) -> [(version: String, records: Int)] {
            counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { (version: $0.key.isEmpty ? "(none)" : $0.key, records: $0.value) }
        }
        control = ExperimentArmResult(name: controlArm.arm, metrics: Metrics(controlArm.aggregate, confidence: confidence),
                                      versions: versions(controlArm.versions), successTest: nil, ratingTest: nil, costTest: nil,
                                      enoughSamples: controlEnough, comparison: .control)
        treatments = sorted.enumerated().filter { $0.offset != controlIndex }.map { _, arm in
            let a = controlArm.aggregate
            let b = arm.aggregate
            let test = TwoProportionTest(controlSuccesses: a.success, controlTrials: a.decided,
                                         treatmentSuccesses: b.success, treatmentTrials: b.decided, confidence: confidence)
            let enough = b.decided >= minSamples
            let comparison: ArmComparison
            if !enough || !controlEnough {
                comparison = .tooFewSamples(needed: minSamples)
            } else if let test, test.pValue < Self.alpha {
                comparison = test.lift > 0 ? .better : .worse
            } else {
                comparison = .noSignificantDifference
            }
            return ExperimentArmResult(name: arm.arm, metrics: Metrics(b, confidence: confidence), versions: versions(arm.versions),
                                       successTest: test, ratingTest: WelchTest(control: a.rating, treatment: b.rating, confidence: confidence),
                                       costTest: WelchTest(control: a.cost, treatment: b.cost, confidence: confidence),
                                       enoughSamples: enough, comparison: comparison)
        }
        // An arm wins when it is significantly better than the control with enough samples in both:
        // an arm with too few (a typo'd arm name on two records) does not hold back one that has won.
        // The control wins only over arms that were all compared, and are all worse.
        let short = treatments.contains { if case .tooFewSamples = $0.comparison { true } else { false } }
        if let best = treatments.filter({ $0.comparison == .better }).max(by: { ($0.successTest?.lift ?? 0) < ($1.successTest?.lift ?? 0) }) {
            verdict = .winner(best.name)
        } else if !controlEnough || short {
            verdict = .tooFewSamples
        } else if !treatments.isEmpty, treatments.allSatisfy({ $0.comparison == .worse }) {
            verdict = .winner(control.name)
        } else {
            verdict = .noWinner
        }
    }
}
