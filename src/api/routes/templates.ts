// Canned replies for the care desk: the loaded pack's templates rendered for
// one interaction (the author's name, its deadlines in the policy calendar's
// time zone), every language variant, so a person picks one, edits it, and
// sends it as their own reply (verbatim). The interaction's language comes first.
import { WorkflowNotFoundError } from '@temporalio/client';
import { renderTemplate } from '../../policy/engine/render';
import { stateQuery, type InteractionState } from '../../workflows/definitions';
import type { AppDeps } from '../deps';
import type { RouteHandlers } from '../http/mount';
import { HttpProblem } from '../http/problem';
import type { Templates } from '../types.generated';
import { checkInteractionId } from './ids';

export function templateHandlers(deps: AppDeps): Pick<RouteHandlers, 'getTemplates'> {
  return {
    getTemplates: async (req, res) => {
      const id = checkInteractionId(req.params.id);
      let state: InteractionState;
      try {
        state = await deps.client.workflow.getHandle(id).query(stateQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5)
          throw new HttpProblem(404, 'Interaction not found', `no interaction ${id}`);
        throw err;
      }
      res.json(renderTemplates(deps.packs.current(), state));
    },
  };
}

type Pack = ReturnType<AppDeps['packs']['current']>;

/** What a template is rendered with for this interaction: its customer's latest post, deadlines, the policy calendar's zone. */
function renderContext(pack: Pack, state: InteractionState) {
  const post = [...state.posts].reverse().find((p) => !state.postRoles?.[p.id]) ?? state.posts[state.posts.length - 1];
  const spec = pack.policies.find((p) => p.id === state.policy?.id);
  const timezone = (spec?.calendar !== undefined ? pack.calendars[spec.calendar]?.timezone : undefined) ?? 'UTC';
  return { post, timezone, language: state.triage?.language ?? post?.language };
}

/** `text` (a template) rendered for this interaction; as written when it does not render. */
export function renderForInteraction(pack: Pack, state: InteractionState, text: string): string {
  const { post, timezone, language } = renderContext(pack, state);
  try {
    return renderTemplate(text, {
      author: post?.author ?? {},
      deadlines: { ...state.deadlines },
      timezone,
      language: language ?? 'en',
    }).trim();
  } catch {
    return text;
  }
}

export function renderTemplates(pack: Pack, state: InteractionState): Templates {
  const { post, timezone, language: own } = renderContext(pack, state);
  const languages = [...new Set(Object.values(pack.templates).flatMap((variants) => Object.keys(variants)))].sort((a, b) =>
    a === own ? -1 : b === own ? 1 : a.localeCompare(b),
  );
  const templates: Templates['templates'] = [];
  for (const [templateId, variants] of Object.entries(pack.templates).sort(([a], [b]) => a.localeCompare(b))) {
    for (const language of languages) {
      const text = variants[language];
      if (text === undefined) continue;
      let rendered: string;
      try {
        rendered = renderTemplate(text, { author: post?.author ?? {}, deadlines: { ...state.deadlines }, timezone, language }).trim();
      } catch {
        // A template that does not render (policy check warns about it) is offered as written.
        rendered = text;
      }
      templates.push({ id: templateId, language, text: rendered });
    }
  }
  return { interactionId: state.interactionId, languages, templates };
}
