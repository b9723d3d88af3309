import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { initialsOf } from "./project/colors.ts";
import { Avatar } from "./ui.tsx";

describe("Avatar", () => {
  it("shows the same initials as presence and member lists", () => {
    for (const name of ["ux_designer", "boss", "Maya Chen", "a"]) {
      const html = renderToString(createElement(Avatar, { src: null, name }));
      expect(html).toContain(`>${initialsOf(name)}<`);
    }
    expect(renderToString(createElement(Avatar, { src: null, name: "ux" }))).toContain(">UX<");
  });
});
