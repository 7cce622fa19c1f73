{{ config(alias='games', post_hook="{{ analyze_rebuilt() }}") }}
-- Valid games: typed, normalised, one row per id.
select
    game_id, game_name, game_type, platform, difficulty,
    _source_file,
    _source_line
from {{ ref('clean_games_checked') }}
where quarantine_reason is null
