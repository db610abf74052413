"""Cascades: `infer` draws a family's tree from its members (pure), `stored` runs it
over the store's dirty families and reads the stored edges back."""
