// TypeDoc plugin for docs/api/ (run by `npm run docs`, part of `npm run build`):
// - the element classes are left to docs/api.md, which is generated from
//   custom-elements.json; their JSDoc tags (@tag, @csspart…) are known tags;
// - `docs:` links in comments point at pages in docs/ and become relative links
//   from each generated page (a relative link in a comment would be resolved
//   against the source file and copied into the output);
// - every exported declaration and field must say what it is: a missing doc
//   comment is a warning, and the build treats warnings as errors.
import { Application, Converter, ReflectionKind } from 'typedoc';
import { MarkdownPageEvent } from 'typedoc-plugin-markdown';

const elementTags = ['@tag', '@slot', '@csspart', '@cssproperty', '@event', '@fires'];

// The keys of the translation table are its English strings (src/l10n/en.ts);
// the interface says so once rather than on every key.
const documentedAsAWhole = new Set(['Translation']);

// Object types spelled out in a signature or a type alias are described by it.
const describedByOwner = ReflectionKind.Parameter | ReflectionKind.SomeSignature | ReflectionKind.TypeAlias;

const needsComment =
  ReflectionKind.Class | ReflectionKind.Interface | ReflectionKind.TypeAlias | ReflectionKind.Function |
  ReflectionKind.Variable | ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Accessor;

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    app.options.setValue('blockTags', [...new Set([...app.options.getValue('blockTags'), ...elementTags])]);
  });

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const { project } = context;
    for (const reflection of project.getReflectionsByKind(ReflectionKind.Class)) {
      if (reflection.comment?.getTag('@tag')) project.removeReflection(reflection);
    }
  });

  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of Object.values(context.project.reflections)) {
      if (!reflection.kindOf(needsComment) || reflection.flags.isInherited || reflection.flags.isExternal) continue;
      if (documentedAsAWhole.has(reflection.parent?.name) || ancestors(reflection).some((a) => a.kindOf(describedByOwner))) continue;
      if (reflection.name === 'name' && reflection.parent?.kindOf(ReflectionKind.Class)) continue; // an Error's name
      if (!hasDocs(reflection)) {
        app.logger.warn(`${reflection.getFriendlyFullName()} (${ReflectionKind.singularString(reflection.kind)}) has no doc comment.`);
      }
    }
  });

  app.renderer.on(MarkdownPageEvent.END, (page) => {
    const toDocs = '../'.repeat(page.url.split('/').length);
    page.contents = page.contents.replace(/\]\(docs:/g, `](${toDocs}`);
  });
}

function ancestors(reflection) {
  const list = [];
  for (let parent = reflection.parent; parent; parent = parent.parent) list.push(parent);
  return list;
}

/** A comment on the reflection, its signatures, its accessors or, for an implementation, the member it implements. */
function hasDocs(reflection) {
  const parts = [reflection, ...(reflection.signatures ?? []), reflection.getSignature, reflection.setSignature];
  if (parts.some((part) => part?.comment?.summary.some((text) => text.text.trim()))) return true;
  return !!reflection.implementationOf || !!reflection.inheritedFrom;
}
