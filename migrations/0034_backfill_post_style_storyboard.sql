-- Up Migration
-- Posts published before the publish workflow filled `posts.style` (trending styles) and, for a
-- storyboard sequence, `posts.storyboard` (a remix starts with its storyboard) get them now from
-- their draft's render metadata. The two expressions are those of `draftStyle` and
-- `draftStoryboard` in shared/src/social/posts.server.ts, which publish uses for new posts; keep
-- them in step (shared/src/social/backfill-style-storyboard.server.test.ts compares them on the
-- same drafts). Plain SQL rather than a TypeScript backfill: node-pg-migrate loads only .sql here
-- (and Node 20 cannot import .ts without a loader), and it runs once, in the migration's
-- transaction, on every deploy with no operator step.
--
-- Only NULLs are filled, so a value already set is never replaced and a second run finds nothing
-- to do. Left alone: posts whose draft was deleted (draft_id was set to NULL), drafts without the
-- metadata, and deleted posts (their owner's delete empties the storyboard on purpose).

-- draftStyle: the previz spec's style, else for a sequence the most common style of its shots'
-- drafts (ties: the earliest shot); lower case, at most 40 characters.
UPDATE posts p
   SET style = f.style
  FROM drafts d
 CROSS JOIN LATERAL (
   SELECT left(lower(coalesce(
            nullif(btrim(d.metadata->'spec'->>'style'), ''),
            (SELECT btrim(s.metadata->'spec'->>'style')
               FROM jsonb_array_elements(CASE WHEN jsonb_typeof(d.metadata->'shots') = 'array'
                                              THEN d.metadata->'shots' ELSE '[]'::jsonb END)
                    WITH ORDINALITY AS e(shot, i)
               JOIN drafts s ON s.id = CASE WHEN e.shot->>'draftId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                            THEN (e.shot->>'draftId')::uuid END
              WHERE nullif(btrim(s.metadata->'spec'->>'style'), '') IS NOT NULL
              GROUP BY 1 ORDER BY count(*) DESC, min(e.i) LIMIT 1))), 40) AS style
 ) f
 WHERE d.id = p.draft_id
   AND p.style IS NULL
   AND p.status <> 'deleted'
   AND f.style IS NOT NULL;

-- draftStoryboard: the sequence job's input (generation_jobs.request.shots, at most 100) mapped
-- back to storyboard shots, in order. The duration is JavaScript's Number() of the request's
-- durationSeconds (`n`, NULL for NaN): a number; null and false 0, true 1; a blank string 0, a
-- decimal string its value. Finite values are clamped to 1..60, NaN and ±Infinity (beyond the
-- largest double) give 4. The decimal string pattern is bounded so that the cast cannot fail.
UPDATE posts p
   SET storyboard = f.storyboard
  FROM drafts d
  JOIN generation_jobs j ON j.workflow_id = d.workflow_id
 CROSS JOIN LATERAL (
   SELECT jsonb_agg(jsonb_build_object(
            'prompt', left(CASE WHEN jsonb_typeof(x.prompt->'text') = 'string'
                                THEN x.prompt->>'text' ELSE '' END, 4000),
            'camera', left(CASE WHEN jsonb_typeof(x.prompt->'sections'->'camera') = 'string'
                                THEN x.prompt->'sections'->>'camera' ELSE '' END, 200),
            'durationSeconds', CASE
              WHEN y.n IS NULL OR abs(y.n) >= power(2::numeric, 1024) - power(2::numeric, 970) THEN 4
              ELSE least(60, greatest(1, y.n)) END,
            'transition', CASE
              WHEN x.kind IN ('fade', 'fadeblack') THEN 'fade'
              WHEN x.kind = 'dissolve' THEN 'dissolve'
              WHEN x.kind ~ '^(wipe|slide)' THEN 'wipe'
              ELSE 'cut' END,
            'notes', '') ORDER BY e.i) AS storyboard
     FROM jsonb_array_elements(CASE WHEN jsonb_typeof(j.request->'shots') = 'array'
                                    THEN j.request->'shots' ELSE '[]'::jsonb END)
          WITH ORDINALITY AS e(shot, i)
    CROSS JOIN LATERAL (
      SELECT e.shot->'request'->'prompt' AS prompt,
             e.shot->'request'->'durationSeconds' AS duration,
             CASE WHEN jsonb_typeof(e.shot->'transition'->'kind') = 'string'
                  THEN e.shot->'transition'->>'kind' END AS kind
    ) x
    CROSS JOIN LATERAL (
      SELECT CASE jsonb_typeof(x.duration)
               WHEN 'number' THEN x.duration::numeric
               WHEN 'boolean' THEN CASE WHEN x.duration = 'true'::jsonb THEN 1 ELSE 0 END
               WHEN 'null' THEN 0
               WHEN 'string' THEN CASE
                 WHEN x.duration #>> '{}' ~ '^[ \t\n\r\f\v]*$' THEN 0
                 WHEN x.duration #>> '{}'
                      ~ '^[ \t\n\r\f\v]*[+-]?([0-9]{1,200}\.?[0-9]{0,200}|\.[0-9]{1,200})([eE][+-]?[0-9]{1,3})?[ \t\n\r\f\v]*$'
                   THEN (x.duration #>> '{}')::numeric
                 END
             END AS n
    ) y
    WHERE e.i <= 100
 ) f
 WHERE d.id = p.draft_id
   AND d.kind = 'sequence'
   AND p.storyboard IS NULL
   AND p.status <> 'deleted'
   AND f.storyboard IS NOT NULL;

-- Down Migration
-- Nothing to undo: the filled values are the ones publishing writes today.
SELECT 1;
