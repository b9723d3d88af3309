/** Who may publish a teammate's draft (browser-safe; enforced in publish-rules.server.ts). */
export const PUBLISH_RULES = ["editors", "owners", "creator"] as const;
export type PublishRule = (typeof PUBLISH_RULES)[number];

export const PUBLISH_RULE_TEXT: Record<PublishRule, string> = {
  editors: "Any editor or owner may publish a teammate's draft, under their own name.",
  owners:
    "Only owners may publish a teammate's draft, under their own name; editors publish their own drafts.",
  creator: "Only the person who made a draft may publish it.",
};
