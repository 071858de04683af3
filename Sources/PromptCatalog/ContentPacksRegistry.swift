// PixSim7's prompt-block tag registry, as its content-pack compiler reads it: the canonical tag keys
// and value aliases of the vocabularies `plugins/starter_pack/vocabularies/prompt_block_tags.yaml` and
// `plugins/cue_packs/vocabularies/prompt_block_tags.yaml` (the core vocabulary is empty). Ported as data;
// update both lists together when PixSim7 registers new keys.

/// The tag registry the schema compiler uses to map `op.params` to tags and to normalise tag values.
public struct PackTagRegistry: Sendable {
    /// Canonical tag keys: a param whose key is one of these becomes a tag without `tag_key`.
    public let keys: Set<String>
    /// Per tag key, alias value → canonical value.
    public let valueAliases: [String: [String: String]]

    public init(keys: Set<String>, valueAliases: [String: [String: String]]) {
        self.keys = keys
        self.valueAliases = valueAliases
    }

    /// PixSim7's registry (107 keys).
    public static let pixSim7 = PackTagRegistry(keys: [
        "action_verb", "activity_group", "aesthetic_preset", "allure_level", "anchor_point", "applies_to", "attaches",
        "beat_axis", "beat_stage", "beat_type", "bite_state", "body_region", "camera_motion", "camera_roll", "canine_archetype",
        "captive_state", "claim_type", "composition_framing", "connector_type", "contact_stage", "continuity_focus",
        "continuity_priority", "crowd_level", "delta_t", "depth_of_field", "descriptor_type", "direction", "expression",
        "expression_intensity", "expression_tone", "focal_length", "focus_target", "form_language", "gaze", "grade_contrast",
        "grade_exposure", "grade_saturation", "grade_temperature", "hands", "hands_gesture", "hands_visibility", "image_surface",
        "intensity", "latin_form", "light_contrast", "light_intensity", "light_key", "light_temperature", "loc_type",
        "look_focus", "manner_delay", "manner_intensity", "manner_quality", "modality", "modality_support", "modesty_level",
        "modifier_family", "modifier_target", "motion_direction", "motion_gait", "motion_speed", "motion_type", "mouth_target",
        "organ_class", "organ_presentation", "organ_size", "organ_state", "organ_surface", "organ_visibility", "pattern_type",
        "paw_target", "placement_distance", "placement_orientation", "placement_relation", "pose", "pose_type", "pov_height",
        "pov_perspective", "proximity", "proximity_stage", "rack_focus", "register", "rendering_technique", "response_mode",
        "rhythm_layering", "rhythm_quality", "rigidity", "role_in_sequence", "sense", "sequence_family", "shot_size",
        "silhouette", "social_tone", "stance_quality", "subject_count", "target_involvement", "tempo", "temporal",
        "theme_variant", "tightness", "time_of_day_phase", "variant", "vertical_angle", "video_surface", "view_profile",
        "voice_type", "weather_condition"
    ], valueAliases: [
        "aesthetic_preset": ["noir": "gothic_noir", "retro_futurism": "retrofuturism"],
        "beat_type": ["lookback": "look_back"],
        "form_language": ["chibi": "chibi_proportions", "heroic": "heroic_proportions", "photorealistic": "photoreal_anatomy", "stylized": "stylized_exaggerated"],
        "proximity_stage": ["arms_reach": "arm_reach"],
        "rendering_technique": ["cel_shaded": "cel_shaded_flat", "cinematic": "cinematic_film_grain", "watercolor": "watercolor_wash"],
        "response_mode": ["reluctant": "hesitant"],
        "vertical_angle": ["birds_eye": "bird", "eye_level": "eye", "worms_eye": "worm"],
        "view_profile": ["over_shoulder": "ots", "pov": "pov_hand"],
    ])
}
