// The map's camera: world coordinates (where the layout puts nodes) to screen pixels and back.

export interface Camera {
  /** World point at the screen's top-left corner. */
  x: number;
  y: number;
  /** Screen pixels per world unit. */
  scale: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 8;

export const toWorld = (camera: Camera, sx: number, sy: number) => ({ x: camera.x + sx / camera.scale, y: camera.y + sy / camera.scale });
export const toScreen = (camera: Camera, wx: number, wy: number) => ({ x: (wx - camera.x) * camera.scale, y: (wy - camera.y) * camera.scale });

/** Zooms by `factor` keeping the world point under the screen point (sx, sy) where it is. */
export function zoomAt(camera: Camera, sx: number, sy: number, factor: number): Camera {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, camera.scale * factor));
  const anchor = toWorld(camera, sx, sy);
  return { x: anchor.x - sx / scale, y: anchor.y - sy / scale, scale };
}

/** Moves the view by a drag of (dx, dy) screen pixels. */
export const panBy = (camera: Camera, dx: number, dy: number): Camera => ({ ...camera, x: camera.x - dx / camera.scale, y: camera.y - dy / camera.scale });

/** The camera that shows every point with `margin` pixels around, in a width x height view. */
export function fitBounds(xs: ArrayLike<number>, ys: ArrayLike<number>, width: number, height: number, margin = 40): Camera {
  if (xs.length === 0) return { x: -width / 2, y: -height / 2, scale: 1 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    minX = Math.min(minX, xs[i]!);
    maxX = Math.max(maxX, xs[i]!);
    minY = Math.min(minY, ys[i]!);
    maxY = Math.max(maxY, ys[i]!);
  }
  const spanX = Math.max(maxX - minX, 1);
  const spanY = Math.max(maxY - minY, 1);
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY, 2)));
  return { x: (minX + maxX) / 2 - width / 2 / scale, y: (minY + maxY) / 2 - height / 2 / scale, scale };
}
