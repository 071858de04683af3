/// A content tree in PixSim7's content-pack format, written for the tests: every shape the loader reads
/// (schema-first variants, `text_template`, `text_synthesis`, explicit `block_id`, a plain block in a schema
/// fragment, a legacy primitive pack) and a template using each tag-query group.
public enum ContentPackFixture {
    public static let files: [String: String] = [
        "content-packs/prompt/lantern_scenes/manifest.yaml": """
        id: lantern-scenes
        title: Lantern Scenes
        description: Harbor lighting and camera for the lantern festival.
        version: 1.0.0
        category: light
        package_name: lantern_scenes
        matrix_presets:
          - label: Light by variant
            query:
              row_key: tag:modifier_family
              col_key: tag:variant
              package_name: lantern_scenes
              include_empty: true
        """,
        "content-packs/prompt/lantern_scenes/schema.yaml": """
        version: 1.0.0
        package_name: lantern_scenes
        defaults:
          is_public: true
        blocks:
          - id: glow
            group: lighting
            block_schema:
              id_prefix: lantern.light.glow.
              category: light
              role: lighting
              text_template: "Lantern light: {variant} glow."
              tags:
                modifier_family: lantern_light
              variants:
                - key: amber
                  tags: { light_temperature: warm }
                - key: teal
                  text: "Cold teal lantern light over the water."
                  tags: { light_temperature: cool }
                - key: festival
                  block_id: lantern.special.festival_glow
          - id: drift
            block_schema:
              id_prefix: lantern.camera.drift
              category: camera
              op:
                op_id_template: camera.motion.{variant}
                modalities: [video]
                params:
                  - key: speed
                    tag_key: motion_speed
                    type: enum
                    enum: [slow, normal, fast]
                  - key: direction
                    tag_key: motion_direction
                    type: enum
                    enum: [left, right, none]
                  - key: vertical_angle
                    type: enum
                    enum: [eye_level, birds_eye]
                default_args: { speed: normal, direction: none, vertical_angle: eye_level }
              text_synthesis:
                template: "{speed} camera drift {direction} ."
                word_tables:
                  speed: { slow: "A slow", normal: "", fast: "A fast" }
                  direction: { none: "", left: "to the left", right: "to the right" }
              variants:
                - key: pan_left
                  op_args: { speed: slow, direction: left }
                - key: hold
                  op_args: { vertical_angle: birds_eye }
        """,
        "content-packs/prompt/lantern_scenes/blocks/harbor/dock.schema.yaml": """
        blocks:
          - block_schema:
              id_prefix: lantern.place.dock
              category: location
              text_template: "Wooden dock at the {variant}."
              variants:
                - key: pier_end
                - id: boathouse
          - block_id: lantern.place.plain_quay
            category: location
            text: "A plain stone quay."
            tags: { place: quay }
        """,
        "content-packs/prompt/lantern_scenes/templates.yaml": """
        version: "1.0.0"
        templates:
          - slug: lantern-harbor-shot
            name: Lantern harbor shot
            description: A place, a light, a camera move and a mood.
            package_name: lantern_scenes
            slots:
              - key: place
                label: Place
                category: location
                package_name: lantern_scenes
              - key: light
                label: Light
                category: light
                tags:
                  all: { modifier_family: lantern_light }
                  not: { light_temperature: cool }
              - key: camera
                label: Camera
                category: camera
                tags:
                  any: { motion_direction: [left, right], vertical_angle: bird }
              - key: mood
                label: Mood
                category: mood
                tags:
                  any_of: { source_pack: [harbor_moods] }
        """,
        "content-packs/primitives/harbor_moods/manifest.yaml": """
        id: harbor_moods
        version: "1.0.0"
        description: "Harbor moods"
        category: mood
        """,
        "content-packs/primitives/harbor_moods/blocks/mood.yaml": """
        blocks:
          - block_id: harbor.mood.hush
            category: mood
            text: "Hushed harbor at dusk."
            tags: { mood: calm, source_pack: harbor_moods, duration_sec: 4.0, loop: yes }
          - block_id: harbor.mood.bustle
            category: mood
            text: "Bustling quay with festival chatter."
            tags: { mood: lively, source_pack: harbor_moods, layers: [crowd, music] }
        """,
    ]
}
