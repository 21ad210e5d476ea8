// What Slack checks in Block Kit before it posts a message or shows a view, for the fields this
// adapter uses: no empty strings, the published length limits, the counts of blocks, elements and
// options, and that an initial option is one of the options. The limits are Slack's reference
// (docs.slack.dev/reference/block-kit: blocks, block elements, composition objects, views).
// Anything of a type not listed here is reported too, so this check grows with the adapter.

type Json = Record<string, unknown>;
export type Surface = "message" | "modal" | "home";

export const LIMITS = {
  blocks: { message: 50, modal: 100, home: 100 },
  /** A text object's text. */
  text: 3000,
  sectionField: 2000,
  sectionFields: 10,
  header: 150,
  blockId: 255,
  actionId: 255,
  callbackId: 255,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionsElements: 25,
  contextElements: 10,
  optionText: 75,
  optionValue: 150,
  options: 100,
  optionGroups: 100,
  optionGroupLabel: 75,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  textInputLength: 3000,
  maxFiles: 10,
} as const;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

class Check {
  readonly problems: string[] = [];
  readonly blockIds = new Set<string>();

  fail(path: string, what: string): void {
    this.problems.push(`${what} [${path}]`);
  }

  /** Every string under `value` must have something in it: Slack refuses "" (and blanks) anywhere in blocks. */
  noEmptyStrings(value: unknown, path: string): void {
    if (typeof value === "string") {
      if (value.trim() === "") this.fail(path, "must not be empty");
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => this.noEmptyStrings(item, `${path}/${i}`));
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) this.noEmptyStrings(item, `${path}/${key}`);
    }
  }

  string(value: unknown, path: string, max: number, required = false): void {
    if (value === undefined && !required) return;
    if (typeof value !== "string") this.fail(path, "must be a string");
    else if (value.length > max) this.fail(path, `must be at most ${max} characters (has ${value.length})`);
  }

  /** A text object; `plainOnly` where Slack takes plain_text alone (headers, buttons, labels, titles). */
  text(value: unknown, path: string, max: number, options: { plainOnly?: boolean; required?: boolean } = {}): void {
    if (value === undefined && !options.required) return;
    if (!isObject(value)) return this.fail(path, "must be a text object");
    if (value.type !== "plain_text" && value.type !== "mrkdwn")
      this.fail(`${path}/type`, "must be plain_text or mrkdwn");
    if (options.plainOnly && value.type !== "plain_text") this.fail(`${path}/type`, "must be plain_text");
    if (value.type === "mrkdwn" && "emoji" in value) this.fail(`${path}/emoji`, "is only for plain_text");
    if (value.type === "plain_text" && "verbatim" in value) this.fail(`${path}/verbatim`, "is only for mrkdwn");
    this.string(value.text, `${path}/text`, Math.min(max, LIMITS.text), true);
  }

  blockId(block: Json, path: string): void {
    if (block.block_id === undefined) return;
    this.string(block.block_id, `${path}/block_id`, LIMITS.blockId);
    const id = String(block.block_id);
    if (this.blockIds.has(id)) this.fail(`${path}/block_id`, `"${id}" is used twice`);
    this.blockIds.add(id);
  }

  options(options: unknown, path: string): string[] {
    if (!Array.isArray(options)) {
      this.fail(path, "must be an array");
      return [];
    }
    if (options.length === 0 || options.length > LIMITS.options) this.fail(path, `must hold 1 to ${LIMITS.options}`);
    return options.map((option: unknown, i) => {
      const at = `${path}/${i}`;
      if (!isObject(option)) {
        this.fail(at, "must be an option object");
        return "";
      }
      this.text(option.text, `${at}/text`, LIMITS.optionText, { plainOnly: true, required: true });
      this.string(option.value, `${at}/value`, LIMITS.optionValue, true);
      return JSON.stringify([option.text, option.value]);
    });
  }

  staticSelect(element: Json, path: string): void {
    this.text(element.placeholder, `${path}/placeholder`, LIMITS.placeholder, { plainOnly: true });
    const hasOptions = element.options !== undefined;
    const hasGroups = element.option_groups !== undefined;
    if (hasOptions === hasGroups) this.fail(path, "must have either options or option_groups");
    let all: string[] = [];
    if (hasOptions) all = this.options(element.options, `${path}/options`);
    if (hasGroups) {
      const groups = element.option_groups;
      if (!Array.isArray(groups) || groups.length === 0 || groups.length > LIMITS.optionGroups) {
        this.fail(`${path}/option_groups`, `must hold 1 to ${LIMITS.optionGroups}`);
      } else {
        groups.forEach((group: unknown, i) => {
          const at = `${path}/option_groups/${i}`;
          if (!isObject(group)) return this.fail(at, "must be an option group");
          this.text(group.label, `${at}/label`, LIMITS.optionGroupLabel, { plainOnly: true, required: true });
          all.push(...this.options(group.options, `${at}/options`));
        });
      }
    }
    if (isObject(element.initial_option)) {
      const initial = JSON.stringify([element.initial_option.text, element.initial_option.value]);
      if (!all.includes(initial)) this.fail(`${path}/initial_option`, "must be exactly one of the options");
    }
  }

  element(element: unknown, path: string, allowed: readonly string[]): void {
    if (!isObject(element)) return this.fail(path, "must be an element object");
    const type = String(element.type);
    if (!allowed.includes(type)) return this.fail(`${path}/type`, `"${type}" is not allowed here`);
    this.string(element.action_id, `${path}/action_id`, LIMITS.actionId);
    switch (type) {
      case "button":
        this.text(element.text, `${path}/text`, LIMITS.buttonText, { plainOnly: true, required: true });
        this.string(element.value, `${path}/value`, LIMITS.buttonValue);
        this.string(element.url, `${path}/url`, LIMITS.buttonUrl);
        if (element.style !== undefined && element.style !== "primary" && element.style !== "danger") {
          this.fail(`${path}/style`, "must be primary or danger");
        }
        return;
      case "static_select":
        return this.staticSelect(element, path);
      case "plain_text_input":
        this.text(element.placeholder, `${path}/placeholder`, LIMITS.placeholder, { plainOnly: true });
        for (const key of ["min_length", "max_length"] as const) {
          const n = element[key];
          if (n !== undefined && (typeof n !== "number" || n < 0 || n > LIMITS.textInputLength)) {
            this.fail(`${path}/${key}`, `must be 0 to ${LIMITS.textInputLength}`);
          }
        }
        return;
      case "datepicker":
        this.text(element.placeholder, `${path}/placeholder`, LIMITS.placeholder, { plainOnly: true });
        if (element.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(element.initial_date))) {
          this.fail(`${path}/initial_date`, "must be YYYY-MM-DD");
        }
        return;
      case "file_input": {
        const max = element.max_files;
        if (max !== undefined && (typeof max !== "number" || max < 1 || max > LIMITS.maxFiles)) {
          this.fail(`${path}/max_files`, `must be 1 to ${LIMITS.maxFiles}`);
        }
        return;
      }
      default:
        return this.fail(`${path}/type`, `"${type}" is not known to this check`);
    }
  }

  /** action_ids must differ within a block. */
  distinctActionIds(elements: unknown[], path: string): void {
    const seen = new Set<string>();
    for (const element of elements) {
      const id = isObject(element) ? element.action_id : undefined;
      if (typeof id !== "string") continue;
      if (seen.has(id)) this.fail(path, `action_id "${id}" is used twice in one block`);
      seen.add(id);
    }
  }

  block(block: unknown, path: string, surface: Surface): void {
    if (!isObject(block)) return this.fail(path, "must be a block object");
    this.blockId(block, path);
    switch (block.type) {
      case "section": {
        if (block.text === undefined && block.fields === undefined) this.fail(path, "must have text or fields");
        this.text(block.text, `${path}/text`, LIMITS.text);
        if (block.fields !== undefined) {
          const fields = Array.isArray(block.fields) ? block.fields : [];
          if (fields.length === 0 || fields.length > LIMITS.sectionFields) {
            this.fail(`${path}/fields`, `must hold 1 to ${LIMITS.sectionFields}`);
          }
          fields.forEach((field: unknown, i) => this.text(field, `${path}/fields/${i}`, LIMITS.sectionField));
        }
        if (block.accessory !== undefined) {
          this.element(block.accessory, `${path}/accessory`, ["button", "static_select", "datepicker"]);
        }
        return;
      }
      case "header":
        return this.text(block.text, `${path}/text`, LIMITS.header, { plainOnly: true, required: true });
      case "divider":
        return;
      case "actions": {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0 || elements.length > LIMITS.actionsElements) {
          this.fail(`${path}/elements`, `must hold 1 to ${LIMITS.actionsElements}`);
        }
        elements.forEach((e: unknown, i) =>
          this.element(e, `${path}/elements/${i}`, ["button", "static_select", "datepicker"]),
        );
        return this.distinctActionIds(elements, `${path}/elements`);
      }
      case "context": {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0 || elements.length > LIMITS.contextElements) {
          this.fail(`${path}/elements`, `must hold 1 to ${LIMITS.contextElements}`);
        }
        elements.forEach((e: unknown, i) => this.text(e, `${path}/elements/${i}`, LIMITS.text));
        return;
      }
      case "input":
        if (surface === "message") this.fail(`${path}/type`, "input blocks belong in modals and App Home");
        this.text(block.label, `${path}/label`, LIMITS.inputLabel, { plainOnly: true, required: true });
        this.text(block.hint, `${path}/hint`, LIMITS.inputHint, { plainOnly: true });
        return this.element(block.element, `${path}/element`, [
          "plain_text_input",
          "static_select",
          "datepicker",
          "file_input",
        ]);
      default:
        return this.fail(`${path}/type`, `"${String(block.type)}" is not known to this check`);
    }
  }

  blocks(blocks: unknown, path: string, surface: Surface): void {
    if (blocks === undefined) return;
    if (!Array.isArray(blocks)) return this.fail(path, "must be an array");
    const max = LIMITS.blocks[surface];
    if (blocks.length > max) this.fail(path, `must hold at most ${max} blocks (has ${blocks.length})`);
    this.noEmptyStrings(blocks, path);
    blocks.forEach((block: unknown, i) => this.block(block, `${path}/${i}`, surface));
  }
}

/** What Slack would refuse in a message (chat.postMessage, chat.postEphemeral, chat.update, a response URL). */
export function messageProblems(message: { text?: unknown; blocks?: unknown }): string[] {
  const check = new Check();
  const hasBlocks = Array.isArray(message.blocks) && message.blocks.length > 0;
  const hasText = typeof message.text === "string" && message.text.trim() !== "";
  if (!hasBlocks && !hasText) check.fail("", "no_text: a message needs text or blocks");
  check.blocks(message.blocks, "/blocks", "message");
  return check.problems;
}

/** What Slack would refuse in a view: a modal (views.open, update, push, a form's answer) or the Home tab. */
export function viewProblems(view: unknown, surface: "modal" | "home"): string[] {
  const check = new Check();
  if (!isObject(view)) return ["must be a view object [/view]"];
  if (view.type !== surface) check.fail("/view/type", `must be ${surface}`);
  if (!Array.isArray(view.blocks)) check.fail("/view/blocks", "is required");
  check.blocks(view.blocks, "/view/blocks", surface);
  check.string(view.private_metadata, "/view/private_metadata", LIMITS.privateMetadata);
  check.string(view.callback_id, "/view/callback_id", LIMITS.callbackId);
  if (surface === "modal") {
    const title = { plainOnly: true } as const;
    check.text(view.title, "/view/title", LIMITS.viewTitle, { ...title, required: true });
    check.text(view.submit, "/view/submit", LIMITS.viewButton, title);
    check.text(view.close, "/view/close", LIMITS.viewButton, title);
    for (const key of ["title", "submit", "close"]) check.noEmptyStrings(view[key], `/view/${key}`);
    const inputs = Array.isArray(view.blocks) && view.blocks.some((b: unknown) => isObject(b) && b.type === "input");
    if (inputs && view.submit === undefined) check.fail("/view/submit", "is required when the view has inputs");
  }
  return check.problems;
}

/**
 * What Slack would refuse in the answer to a form submission: a view to update to or push, or
 * errors, which must name input blocks of the submitted view and say something.
 */
export function formAnswerProblems(answer: unknown, submitted: { blocks?: unknown }): string[] {
  if (!isObject(answer) || answer.response_action === undefined) return [];
  switch (answer.response_action) {
    case "clear":
      return [];
    case "update":
    case "push":
      return viewProblems(answer.view, "modal");
    case "errors": {
      const problems: string[] = [];
      const inputs = new Set(
        (Array.isArray(submitted.blocks) ? submitted.blocks : [])
          .filter((b: unknown): b is Json => isObject(b) && b.type === "input")
          .map((b) => String(b.block_id)),
      );
      const errors = isObject(answer.errors) ? answer.errors : {};
      if (Object.keys(errors).length === 0) problems.push("errors must name at least one field [/errors]");
      for (const [blockId, message] of Object.entries(errors)) {
        if (!inputs.has(blockId)) problems.push(`"${blockId}" is not an input block of the view [/errors]`);
        if (typeof message !== "string" || message.trim() === "")
          problems.push(`must not be empty [/errors/${blockId}]`);
      }
      return problems;
    }
    default:
      return [`unknown response_action "${String(answer.response_action)}" [/response_action]`];
  }
}
