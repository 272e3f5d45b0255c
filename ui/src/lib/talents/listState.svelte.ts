//! What the talent list remembers while the person opens a profile and comes back: the search, the filters,
//! the sort, whether the filter panel is open, the scroll position and the selected row.
import type { TalentSort } from "../ipc";
import { emptyFilters, type Filters } from "./query";

class TalentListState {
  text = $state("");
  filters = $state<Filters>(emptyFilters());
  sort = $state<TalentSort>("relevance");
  panelOpen = $state(false);
  scrollTop = 0;
  selected = -1;
  /** The query the scroll position belongs to. */
  key = "";

  reset(): void {
    this.text = "";
    this.filters = emptyFilters();
    this.sort = "relevance";
    this.scrollTop = 0;
    this.selected = -1;
  }
}

export const listState = new TalentListState();

/** Back to a fresh list (at sign-out). */
export function forgetListState(): void {
  listState.reset();
  listState.panelOpen = false;
  listState.key = "";
}
