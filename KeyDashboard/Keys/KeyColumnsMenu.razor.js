export function load(key) {
    return localStorage.getItem(key);
}

export function save(key, value) {
    localStorage.setItem(key, value);
}
