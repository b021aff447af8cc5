import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import type { GroupSuggestion, GroupSuggestions } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { proposeGroupName } from '../../src-shared/group-names.ts'
import { useImagesStore } from './images.ts'
import { useProjectStore } from './project.ts'
import { useRequestState } from './request-state.ts'
import { restTimer } from '../lib/rest-timer.ts'

/** After label edits, the suggestions on show are asked for again once edits have rested this long. */
export const SUGGEST_REFRESH_MS = 1000

/**
 * The label groups the rows suggest (groups:suggest), listed with one-click accept in the Groups dialog,
 * the Health panel and the import report. Asked for when a list shows and the rows changed since the
 * last answer; a suggestion overlapping a declared group drops out as soon as that group is declared.
 */
export const useGroupSuggestionsStore = defineStore('group-suggestions', () => {
  const bridge = getBridge()
  const project = useProjectStore()
  const images = useImagesStore()
  const { busy: loading, error, run } = useRequestState()

  const answer = shallowRef<GroupSuggestions | null>(null)
  /** The rows' version the answer was counted on. */
  const answeredVersion = ref(-1)
  /** Lists on show: edits ask again only while one is. */
  const shown = ref(0)
  let loadSeq = 0

  const suggestions = computed<GroupSuggestion[]>(() => {
    const taken = new Set((project.info?.groups ?? []).flat())
    return (answer.value?.suggestions ?? []).filter((s) => s.labels.every((l) => !taken.has(l)))
  })
  const stale = computed(() => answer.value === null || answeredVersion.value !== images.version)

  /** Asks the service unless the answer is for the rows as they are. */
  async function load(): Promise<boolean> {
    if (!stale.value || project.info === null) return true
    const seq = ++loadSeq
    const version = images.version
    return run(async () => {
      const found = await bridge.invoke('groups:suggest', {})
      if (seq !== loadSeq) return true
      answer.value = found
      answeredVersion.value = version
      return true
    })
  }

  /** Declares the suggestion beside the declared groups, named `name` ('' for none). */
  async function accept(suggestion: GroupSuggestion, name = ''): Promise<boolean> {
    const declared = project.info?.groups ?? []
    const taken = new Set(declared.flat())
    if (suggestion.labels.some((l) => taken.has(l))) return false
    const names = declared.map((_, i) => project.info?.groupNames?.[i] ?? '')
    return project.setGroups([...declared, suggestion.labels], [...names, name.trim()])
  }

  /** The name a suggestion is offered with (editable before Accept). */
  function proposedName(suggestion: GroupSuggestion): string {
    const declared = project.info?.groups ?? []
    return proposeGroupName(suggestion.labels, declared.map((_, i) => project.info?.groupNames?.[i] ?? ''))
  }

  /** A list showing suggestions calls this when it mounts, and the function it answers when it goes. */
  function show(): () => void {
    shown.value++
    void load()
    let gone = false
    return () => {
      if (gone) return
      gone = true
      shown.value--
    }
  }

  function dismissError(): void {
    error.value = null
  }

  // Edits change what the rows suggest: a list on show asks again once they rest.
  const refresh = restTimer(SUGGEST_REFRESH_MS, () => {
    if (shown.value > 0) void load()
  })
  const stopRefresh = refresh.stop
  watch(
    () => images.version,
    () => {
      if (shown.value > 0 && answer.value !== null) refresh.poke()
    },
  )

  // Another project: its suggestions are not this one's.
  watch(
    () => project.info?.file,
    () => {
      loadSeq++
      stopRefresh()
      answer.value = null
      answeredVersion.value = -1
      error.value = null
    },
  )

  onScopeDispose(stopRefresh)

  return { answer, suggestions, loading, error, stale, load, accept, proposedName, show, dismissError }
})
