//! The table as a file (JSON arrays, positional), for builds that load it at run time: the wasm
//! playground fetches it after first paint instead of carrying it in the wasm module. [`encode`]
//! writes it from the compiled-in table; [`decode`] reads it back; [`install`] makes it the
//! table of this process (once).

use serde_json::{json, Value};

use super::model::{ClassRule, Prop, Resource, Shape, Ty};
use super::Tables;

/// The format's version: a file of another version is refused rather than misread.
const VERSION: u64 = 1;

/// The table of this build as the file's text, None when it has none.
pub fn encode() -> Option<String> {
    let t = super::tables()?;
    let resources: Vec<Value> = t
        .resources
        .iter()
        .map(|r| json!([r.name, r.shape, r.doc]))
        .collect();
    let shapes: Vec<Value> = t
        .shapes
        .iter()
        .map(|s| {
            let props: Vec<Value> = s
                .props
                .iter()
                .map(|p| json!([p.name, p.ty, p.required, p.status, p.doc]))
                .collect();
            json!([s.open, s.values, props])
        })
        .collect();
    let types: Vec<Value> = t
        .types
        .iter()
        .map(|y| {
            json!([
                y.kinds, y.shape, y.items, y.values, y.pattern, y.formats, y.min, y.max, y.min_len,
                y.max_len
            ])
        })
        .collect();
    let rules: Vec<Value> = t
        .class_rules
        .iter()
        .map(|r| json!([r.type_name, r.path, r.engine, r.classes]))
        .collect();
    let file = json!({
        "version": VERSION,
        "resources": resources,
        "shapes": shapes,
        "types": types,
        "class_names": t.class_names,
        "class_rules": rules,
    });
    Some(file.to_string())
}

/// Makes `text` (a file [`encode`] wrote) the table of this process. Builds with the table
/// compiled in keep theirs (the file is still checked); a second install keeps the first.
pub fn install(text: &str) -> Result<(), String> {
    let tables = decode(text)?;
    let _ = super::LOADED.set(tables);
    Ok(())
}

/// Reads a file [`encode`] wrote. The table lives as long as the process (it is read once), so
/// its strings and lists are leaked into `'static` like the compiled-in one.
pub fn decode(text: &str) -> Result<Tables, String> {
    let file: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if file.get("version").and_then(Value::as_u64) != Some(VERSION) {
        return Err(format!("not a version {VERSION} schema table"));
    }
    let list = |key: &str| -> Result<&Vec<Value>, String> {
        file.get(key)
            .and_then(Value::as_array)
            .ok_or_else(|| format!("no `{key}` list"))
    };
    let resources = list("resources")?
        .iter()
        .map(|r| {
            let r = Row::new(r, 3)?;
            Ok(Resource {
                name: r.str(0)?,
                shape: r.u16(1)?,
                doc: r.str(2)?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let shapes = list("shapes")?
        .iter()
        .map(|s| {
            let s = Row::new(s, 3)?;
            let props = s
                .list(2)?
                .iter()
                .map(|p| {
                    let p = Row::new(p, 5)?;
                    Ok(Prop {
                        name: p.str(0)?,
                        ty: p.u16(1)?,
                        required: p.bool(2)?,
                        status: p.u8(3)?,
                        doc: p.str(4)?,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok(Shape {
                open: s.bool(0)?,
                values: s.u16(1)?,
                props: leak(props),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let types = list("types")?
        .iter()
        .map(|y| {
            let y = Row::new(y, 10)?;
            Ok(Ty {
                kinds: y.u8(0)?,
                shape: y.u16(1)?,
                items: y.u16(2)?,
                values: y.strs(3)?,
                pattern: y.str(4)?,
                formats: y.u8(5)?,
                min: y.opt_f64(6)?,
                max: y.opt_f64(7)?,
                min_len: y.opt_u32(8)?,
                max_len: y.opt_u32(9)?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let class_names = Row(list("class_names")?).all_strs()?;
    let class_rules = list("class_rules")?
        .iter()
        .map(|r| {
            let r = Row::new(r, 4)?;
            let classes = r
                .list(3)?
                .iter()
                .map(|i| number_u16(i, class_names.len()))
                .collect::<Result<Vec<_>, String>>()?;
            Ok(ClassRule {
                type_name: r.str(0)?,
                path: r.str(1)?,
                engine: r.str(2)?,
                classes: leak(classes),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let tables = Tables {
        resources: leak(resources),
        shapes: leak(shapes),
        types: leak(types),
        class_names,
        class_rules: leak(class_rules),
    };
    consistent(&tables)?;
    Ok(tables)
}

/// Every index points into the table (lookups index without checking).
fn consistent(t: &Tables) -> Result<(), String> {
    let (shapes, types) = (t.shapes.len(), t.types.len());
    let fits = |i: u16, len: usize| i == super::NONE || usize::from(i) < len;
    let ok = t.resources.iter().all(|r| usize::from(r.shape) < shapes)
        && t.shapes
            .iter()
            .all(|s| fits(s.values, types) && s.props.iter().all(|p| usize::from(p.ty) < types))
        && t.types
            .iter()
            .all(|y| fits(y.shape, shapes) && fits(y.items, types));
    ok.then_some(())
        .ok_or_else(|| "an index points outside the table".to_string())
}

fn leak<T>(items: Vec<T>) -> &'static [T] {
    Box::leak(items.into_boxed_slice())
}

fn number_u16(v: &Value, below: usize) -> Result<u16, String> {
    v.as_u64()
        .and_then(|n| u16::try_from(n).ok())
        .filter(|&n| usize::from(n) < below)
        .ok_or_else(|| format!("`{v}` is not an index of the class names"))
}

/// One positional row.
struct Row<'v>(&'v Vec<Value>);

impl<'v> Row<'v> {
    fn new(v: &'v Value, len: usize) -> Result<Self, String> {
        match v.as_array() {
            Some(a) if a.len() == len => Ok(Row(a)),
            _ => Err(format!("expected a row of {len} values, found {v}")),
        }
    }

    fn bad(&self, i: usize, what: &str) -> String {
        format!(
            "value {i} of {} is not {what}",
            Value::Array(self.0.clone())
        )
    }

    fn str(&self, i: usize) -> Result<&'static str, String> {
        let s = self.0[i].as_str().ok_or_else(|| self.bad(i, "a string"))?;
        Ok(Box::leak(s.to_string().into_boxed_str()))
    }

    fn bool(&self, i: usize) -> Result<bool, String> {
        self.0[i].as_bool().ok_or_else(|| self.bad(i, "a boolean"))
    }

    fn u16(&self, i: usize) -> Result<u16, String> {
        let n = self.0[i].as_u64().and_then(|n| u16::try_from(n).ok());
        n.ok_or_else(|| self.bad(i, "an index"))
    }

    fn u8(&self, i: usize) -> Result<u8, String> {
        let n = self.0[i].as_u64().and_then(|n| u8::try_from(n).ok());
        n.ok_or_else(|| self.bad(i, "a small number"))
    }

    fn opt_f64(&self, i: usize) -> Result<Option<f64>, String> {
        match &self.0[i] {
            Value::Null => Ok(None),
            v => v.as_f64().map(Some).ok_or_else(|| self.bad(i, "a number")),
        }
    }

    fn opt_u32(&self, i: usize) -> Result<Option<u32>, String> {
        match &self.0[i] {
            Value::Null => Ok(None),
            v => v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| self.bad(i, "a length")),
        }
    }

    fn list(&self, i: usize) -> Result<&'v Vec<Value>, String> {
        self.0[i].as_array().ok_or_else(|| self.bad(i, "a list"))
    }

    fn strs(&self, i: usize) -> Result<&'static [&'static str], String> {
        Row(self.list(i)?).all_strs()
    }

    fn all_strs(&self) -> Result<&'static [&'static str], String> {
        let strs = (0..self.0.len())
            .map(|i| self.str(i))
            .collect::<Result<Vec<_>, String>>()?;
        Ok(leak(strs))
    }
}

#[cfg(all(test, feature = "embedded-schema"))]
mod tests {
    use super::*;

    #[test]
    fn the_file_reads_back_as_the_compiled_in_table() {
        let text = encode().expect("the embedded table");
        let read = decode(&text).expect("decodes");
        let t = super::super::tables().unwrap();
        assert_eq!(read.resources.len(), t.resources.len());
        assert_eq!(read.shapes.len(), t.shapes.len());
        assert_eq!(read.types.len(), t.types.len());
        assert_eq!(read.class_names, t.class_names);
        // Every field: the debug text of each part is the same.
        assert_eq!(
            format!("{:?}", read.resources),
            format!("{:?}", t.resources)
        );
        assert_eq!(format!("{:?}", read.shapes), format!("{:?}", t.shapes));
        assert_eq!(format!("{:?}", read.types), format!("{:?}", t.types));
        assert_eq!(
            format!("{:?}", read.class_rules),
            format!("{:?}", t.class_rules)
        );
    }

    #[test]
    fn broken_files_are_refused_with_a_reason() {
        assert!(decode("nope").unwrap_err().starts_with("not JSON"));
        assert!(decode("{\"version\": 2}")
            .unwrap_err()
            .contains("version 1"));
        let text = encode().unwrap();
        let bad_index = text.replacen("\"shapes\":[[", "\"shapes\":[[false,60000,[]],[", 1);
        assert_eq!(
            decode(&bad_index).unwrap_err(),
            "an index points outside the table"
        );
        let short_row = "{\"version\":1,\"resources\":[[\"AWS::X\",0]],\"shapes\":[],\"types\":[],\"class_names\":[],\"class_rules\":[]}";
        assert!(decode(short_row).unwrap_err().contains("row of 3"));
    }
}
