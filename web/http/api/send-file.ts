import { ApiError } from "@reelhouse/shared/api/errors";
import { dataDir } from "@reelhouse/shared/paths.server";
import type { Response } from "express";

/**
 * Sends a generated file (relative to DATA_DIR, from a database row, never from the request) as
 * a download; a file missing on disk is the API's 404 naming `what` ("video", "draft").
 */
export function sendDataFile(
  res: Response,
  file: { relPath: string; contentType: string; filename: string },
  what: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    res.sendFile(
      file.relPath,
      {
        root: dataDir(),
        dotfiles: "deny",
        headers: {
          "Content-Type": file.contentType,
          "Content-Disposition": `attachment; filename="${file.filename}"`,
          "X-Content-Type-Options": "nosniff",
        },
      },
      (err) =>
        err
          ? reject(
              res.headersSent
                ? err
                : new ApiError(404, "not_found", `The ${what}'s file is missing on this server.`),
            )
          : resolve(),
    ),
  );
}
