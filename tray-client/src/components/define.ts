/** @module Registers the campaign elements under their `fixpoint-*` tags (once; importing again is harmless). */
import {
  FixpointDeadline,
  FixpointHelpForm,
  FixpointPrompt,
  FixpointQuestionInfo,
  FixpointQuestionMultiple,
  FixpointQuestionNps,
  FixpointQuestionScale,
  FixpointQuestionSingle,
  FixpointQuestionText,
  FixpointSelfService,
  FixpointActivity,
} from './index';

const elements = {
  'fixpoint-prompt': FixpointPrompt,
  'fixpoint-question-single': FixpointQuestionSingle,
  'fixpoint-question-multiple': FixpointQuestionMultiple,
  'fixpoint-question-scale': FixpointQuestionScale,
  'fixpoint-question-nps': FixpointQuestionNps,
  'fixpoint-question-text': FixpointQuestionText,
  'fixpoint-question-info': FixpointQuestionInfo,
  'fixpoint-self-service': FixpointSelfService,
  'fixpoint-activity': FixpointActivity,
  'fixpoint-deadline': FixpointDeadline,
  'fixpoint-help-form': FixpointHelpForm,
} as const;

/** Defines every campaign element in `registry` that is not defined there yet. */
export function defineCampaignElements(registry: CustomElementRegistry = customElements): void {
  for (const [tag, element] of Object.entries(elements)) if (!registry.get(tag)) registry.define(tag, element);
}

defineCampaignElements();
