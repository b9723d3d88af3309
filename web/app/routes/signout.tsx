import { redirect } from "react-router";
import { endSession } from "../utils/auth.server.ts";
import type { Route } from "./+types/signout";

export async function action({ context }: Route.ActionArgs) {
  return redirect("/", { headers: { "Set-Cookie": await endSession(context) } });
}

export function loader() {
  return redirect("/");
}
