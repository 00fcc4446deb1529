/**
 * @module The campaign components, without registering them: import `./define` (or call `defineCampaignElements`)
 * to use the tags. The console's campaign editor imports these for its live preview.
 */
export { FixpointPrompt } from './prompt/prompt';
export { promptStrings, type PromptStrings } from './prompt/strings';
export { FixpointQuestionSingle } from './question-single/question-single';
export { FixpointQuestionMultiple } from './question-multiple/question-multiple';
export { FixpointQuestionScale } from './question-scale/question-scale';
export { FixpointQuestionNps } from './question-nps/question-nps';
export { FixpointQuestionText } from './question-text/question-text';
export { FixpointQuestionInfo } from './question-info/question-info';
export { FixpointHelpForm, type FixpointHelpSubmitDetail, type HelpFormState } from './help-form/help-form';
export { helpStrings, type HelpStrings } from './help-form/strings';
export { FixpointDeadline, formatCountdown, inCountdown, postponeOffered } from './deadline/deadline';
export { nextIndex } from './shared/keyboard';
export { FixpointSelfService } from './self-service/self-service';
export { selfServiceStrings, type SelfServiceStrings } from './self-service/strings';
export { FixpointActivity } from './activity/activity';
export { activityStrings, type ActivityStrings } from './activity/strings';
export type { FixpointAnswerDetail, FixpointChangeDetail, FixpointRunDetail, SelfServiceRun } from './events';
