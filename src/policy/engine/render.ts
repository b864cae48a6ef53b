// Reply templates: Mustache placeholders ({{author.name}}, {{deadline.resolution}}).
// Replies are plain text, so HTML escaping is switched off.
import Mustache from 'mustache';
import { formatInstant } from './calendar';

export interface RenderVars {
  author: { name?: string; handle?: string };
  /** Commitment name → ISO instant; rendered in the calendar's time zone. */
  deadlines: Record<string, string | undefined>;
  timezone: string;
  language: string;
}

export function renderTemplate(text: string, vars: RenderVars): string {
  const deadline: Record<string, string> = {};
  for (const [name, iso] of Object.entries(vars.deadlines)) {
    if (iso) deadline[name] = formatInstant(new Date(iso), vars.timezone, vars.language);
  }
  const view = {
    author: {
      handle: vars.author.handle ? `@${vars.author.handle.replace(/^@/u, '')}` : '',
      // A greeting needs a name; the handle is the friendliest fallback.
      name: vars.author.name ?? (vars.author.handle ? `@${vars.author.handle.replace(/^@/u, '')}` : 'there'),
    },
    deadline,
  };
  return Mustache.render(text, view, {}, { escape: (s: string) => s });
}
