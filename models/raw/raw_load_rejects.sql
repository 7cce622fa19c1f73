{{ config(alias='load_rejects') }}
-- CSV records the loader could not parse, with file, line, reason and raw text.
-- Built after every seed, which is what creates and fills the landing table:
-- depends on {{ ref('users') }}, {{ ref('games') }}, {{ ref('events') }}
select * from {{ source('landing', 'load_rejects') }}
