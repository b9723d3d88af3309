/**
 * Which way each drawing faces. Most Fluent Emoji animals and vehicles are drawn facing left (the
 * emoji convention); the ones below face right, and a few point diagonally (an airplane climbs to
 * the upper right): `heading` is that angle, so a flying plane is turned level before it is drawn.
 * Checked by eye on a contact sheet of the set's animals and vehicles; a drawing not listed is
 * taken to face left (symmetric drawings do not care).
 */

const RIGHT: Record<string, number> = {
  airplane: -0.72,
  "small-airplane": -0.72,
  "airplane-departure": -0.5,
  // A rocket keeps its climb: it reads as a launch.
  rocket: 0,
  speedboat: 0,
  honeybee: 0,
  parrot: 0,
  dragon: 0,
  dove: 0,
};

export function artFacing(id: string): { facing: 1 | -1; heading: number } {
  const h = RIGHT[id];
  return h === undefined ? { facing: -1, heading: 0 } : { facing: 1, heading: h };
}
