{{ config(alias='games_checked') }}
-- Every landed game row, typed and normalised, with the reason it cannot be kept.
with typed as (
    select
        {{ safe_cast_int('g.game_id') }} as game_id,
        coalesce(nullif(btrim(g.game_name), ''), 'unknown') as game_name,
        {{ normalize_enum('g.game_type', ['cardio', 'strategy', 'puzzle', 'arcade', 'action'],
             typos={'cardioo': 'cardio', 'stratgy': 'strategy', 'arcadee': 'arcade', 'actionn': 'action', 'puzzel': 'puzzle'}) }} as game_type,
        {{ normalize_enum('g.platform', ['ios', 'android', 'web'],
             typos={'ioss': 'ios', 'androiid': 'android', 'andriod': 'android', 'webb': 'web'}) }} as platform,
        {{ normalize_enum('g.difficulty', ['easy', 'medium', 'hard']) }} as difficulty,
        g._source_file,
        g._source_line,
        to_jsonb(g) - '_loaded_at' as raw_record
    from {{ ref('raw_games') }} as g
),

ranked as (
    select
        typed.*,
        case when game_id is not null
             then row_number() over (partition by game_id order by _source_line) end as occurrence
    from typed
)

select
    ranked.*,
    case
        when game_id is null then 'bad_game_id'
        when occurrence > 1 then 'duplicate_id'
    end as quarantine_reason
from ranked
